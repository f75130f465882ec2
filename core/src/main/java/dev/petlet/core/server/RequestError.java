package dev.petlet.core.server;

/** A request the server answers with an error status and a message the client shows as it is. */
final class RequestError extends Exception {
    private final int status;

    RequestError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }

    static RequestError badRequest(String message) {
        return new RequestError(400, message);
    }

    static RequestError notFound(String message) {
        return new RequestError(404, message);
    }
}
