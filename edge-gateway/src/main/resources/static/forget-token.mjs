// A page refused for the token in its link (the report page's 403): the token leaves the address bar and the
// history, as the report page itself does once it has read it.
if (new URLSearchParams(location.search).has('token')) history.replaceState(null, '', location.pathname);
