package dev.rendezvous.resilience;

/**
 * A call to a {@link Dependency} failed because the service is not there: it did not answer in time, refused the
 * connection, or its circuit breaker is open or its bulkhead full. REST answers it with 503
 * {@code dependency_unavailable}; a background pipeline waits and tries again. Carries no stack trace of its own (the
 * cause has one).
 */
public final class DependencyUnavailableException extends RuntimeException {

    private final Dependency dependency;

    public DependencyUnavailableException(Dependency dependency, Throwable cause) {
        super(dependency.description() + " is unavailable (" + cause + ")", cause, false, false);
        this.dependency = dependency;
    }

    public Dependency dependency() {
        return dependency;
    }
}
