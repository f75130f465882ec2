package dev.petlet.sandbox.binaries;

import java.net.URI;
import java.nio.file.Path;

/** Fetches files over HTTP; the seam that lets the resolver's tests run without a network. */
interface HttpFetcher {
    /**
     * Writes the body at {@code uri} to {@code target}, following redirects.
     *
     * @throws ReleaseUnavailableException when no server answers in time, the answer is not
     *     200 OK, or the transfer breaks off; {@code target} may then hold a partial body
     * @throws InterruptedException when the calling thread is interrupted
     */
    void download(URI uri, Path target) throws ReleaseUnavailableException, InterruptedException;
}
