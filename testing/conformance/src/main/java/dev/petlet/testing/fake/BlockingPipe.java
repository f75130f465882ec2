package dev.petlet.testing.fake;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.LinkedBlockingQueue;

/** Standard input of a fake process: what the writer writes, read in order, end-of-file once it closes. */
final class BlockingPipe {
    private static final byte[] END = new byte[0];
    private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    final OutputStream writer = new OutputStream() {
        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] data, int offset, int length) {
            if (length > 0) {
                chunks.add(java.util.Arrays.copyOfRange(data, offset, offset + length));
            }
        }

        @Override
        public void close() {
            end();
        }
    };

    /** Ends the input: the reader sees end-of-file after what was written. */
    synchronized void end() {
        if (!closed) {
            closed = true;
            chunks.add(END);
        }
    }

    final InputStream reader = new InputStream() {
        private byte[] current = new byte[0];
        private int position;
        private boolean ended;

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            while (position == current.length) {
                if (ended) {
                    return -1;
                }
                try {
                    current = chunks.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return -1;
                }
                position = 0;
                if (current == END) {
                    ended = true;
                }
            }
            int count = Math.min(length, current.length - position);
            System.arraycopy(current, position, buffer, offset, count);
            position += count;
            return count;
        }
    };
}
