// Start page: register, log in, create a meeting and show its join link. The user token is kept in localStorage
// (key "rendezvous.token"), where the meeting page finds it.
(function () {
  'use strict';
  const TOKEN_KEY = 'rendezvous.token';
  const $ = (id) => document.getElementById(id);

  function token() { return localStorage.getItem(TOKEN_KEY); }

  async function api(method, path, body, auth) {
    const headers = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (auth) headers['Authorization'] = 'Bearer ' + auth;
    const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    let data = null;
    try { data = await res.json(); } catch (e) { /* empty body */ }
    if (!res.ok) {
      const err = new Error((data && data.message) || ('HTTP ' + res.status));
      err.status = res.status;
      err.code = data && data.error;
      throw err;
    }
    return data;
  }

  function formData(form) {
    return Object.fromEntries(new FormData(form).entries());
  }

  async function showState() {
    const t = token();
    if (t) {
      try {
        const me = await api('GET', '/api/v1/me', undefined, t);
        $('whoami-name').textContent = me.displayName + ' (' + me.email + ')';
        $('whoami').hidden = false;
        $('signed-in').hidden = false;
        $('signed-out').hidden = true;
        return;
      } catch (e) {
        localStorage.removeItem(TOKEN_KEY); // expired or from another server
      }
    }
    $('whoami').hidden = true;
    $('signed-in').hidden = true;
    $('signed-out').hidden = false;
  }

  async function login(email, password) {
    const res = await api('POST', '/api/v1/auth/login', { email, password });
    localStorage.setItem(TOKEN_KEY, res.token);
  }

  $('login-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    $('login-error').textContent = '';
    const f = formData(ev.target);
    try {
      await login(f.email, f.password);
      await showState();
    } catch (e) {
      $('login-error').textContent = e.message;
    }
  });

  $('register-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    $('register-error').textContent = '';
    const f = formData(ev.target);
    try {
      await api('POST', '/api/v1/auth/register', { email: f.email, password: f.password, displayName: f.displayName });
      await login(f.email, f.password);
      await showState();
    } catch (e) {
      $('register-error').textContent = e.message;
    }
  });

  $('meeting-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    $('meeting-error').textContent = '';
    const f = formData(ev.target);
    try {
      const m = await api('POST', '/api/v1/meetings', { title: f.title }, token());
      $('join-link').textContent = m.joinUrl;
      $('join-link').href = m.joinUrl;
      $('open-meeting').href = m.joinUrl + '?autojoin=1';
      $('meeting-created').hidden = false;
    } catch (e) {
      if (e.status === 401) { localStorage.removeItem(TOKEN_KEY); await showState(); }
      $('meeting-error').textContent = e.message;
    }
  });

  $('copy-link').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText($('join-link').href);
      $('copy-link').textContent = 'Copied';
    } catch (e) {
      $('copy-link').textContent = 'Select and copy the link';
    }
  });

  $('logout').addEventListener('click', async () => {
    localStorage.removeItem(TOKEN_KEY);
    await showState();
  });

  showState();
})();
