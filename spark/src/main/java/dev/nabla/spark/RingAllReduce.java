package dev.nabla.spark;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Sums an array across the P replicas of a data-parallel job, every replica ending with the same sum: the ring
 * all-reduce (reduce-scatter, then all-gather; Patarasuk and Yuan 2009, as Horovod and NCCL do it) over direct TCP
 * connections to the two ring neighbours. Each replica sends and receives {@code 2 (P-1)/P} times the array per call,
 * whatever P, so the driver never carries gradients (Spark's own {@code allGather} relays every message through
 * the driver and polls once a second, which costs more than a training step).
 *
 * <p>The values travel as 4-byte floats when {@code wireFloats} (a FLOAT32 model: nothing is lost that the model
 * keeps) or as 8-byte doubles. A neighbour that fails closes its connections or stops answering within the timeout,
 * and the call then throws: no replica goes on with a partial sum.
 */
public final class RingAllReduce implements AutoCloseable {
    private final int rank;
    private final int size;
    private final boolean wireFloats;
    private final Socket right;
    private final Socket left;
    private final OutputStream out;
    private final DataInputStream in;
    private final ExecutorService sender;
    private long bytesSent;
    private long calls;
    private long nanos;

    private RingAllReduce(int rank, int size, boolean wireFloats, Socket right, Socket left) throws IOException {
        this.rank = rank;
        this.size = size;
        this.wireFloats = wireFloats;
        this.right = right;
        this.left = left;
        this.out = right == null ? null : new BufferedOutputStream(right.getOutputStream(), 1 << 16);
        this.in = left == null ? null : new DataInputStream(left.getInputStream());
        this.sender = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "nabla-allreduce-send");
            t.setDaemon(true);
            return t;
        });
    }

    /** How a replica finds the others: its rank, and a way to swap one string with all of them (Spark's barrier). */
    public interface Rendezvous {
        /** This replica's rank, 0 to P-1. */
        int rank();

        /** Sends {@code mine} to every replica and returns all P strings, by rank. */
        String[] exchange(String mine);
    }

    /**
     * Connects replica {@code rendezvous.rank()} to its ring neighbours: it listens on a free port of {@code host} (an
     * address of this machine that the others can reach),
     * swaps {@code host:port} through the rendezvous, connects to the next rank and accepts the previous one.
     * {@code timeoutMillis} bounds every later wait for a neighbour.
     */
    public static RingAllReduce connect(Rendezvous rendezvous, String host, boolean wireFloats, int timeoutMillis)
            throws IOException {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(host, 0));
            server.setSoTimeout(timeoutMillis);
            String[] all = rendezvous.exchange(host + ":" + server.getLocalPort());
            int rank = rendezvous.rank();
            int p = all.length;
            if (p == 1) {
                return new RingAllReduce(0, 1, wireFloats, null, null);
            }
            String next = all[(rank + 1) % p];
            int colon = next.lastIndexOf(':');
            Socket right = new Socket();
            right.connect(new InetSocketAddress(next.substring(0, colon), Integer.parseInt(next.substring(colon + 1))),
                    timeoutMillis);
            Socket left = server.accept();
            for (Socket s : new Socket[] {right, left}) {
                s.setTcpNoDelay(true);
                s.setSoTimeout(timeoutMillis);
            }
            return new RingAllReduce(rank, p, wireFloats, right, left);
        }
    }

    /** This replica's rank. */
    public int rank() {
        return rank;
    }

    /** The number of replicas. */
    public int size() {
        return size;
    }

    /** Replaces {@code data} (the same length on every replica) by its sum over all replicas, in place. */
    public void sum(double[] data) {
        long t = System.nanoTime();
        calls++;
        if (size > 1) {
            try {
                ring(data);
            } catch (IOException e) {
                if (e instanceof EOFException) {
                    pause(); // so that the neighbour's own error, the cause, reaches the driver first
                }
                throw new UncheckedIOException("data-parallel replica " + rank + " of " + size + " lost its ring"
                        + " neighbour (" + describe(e) + "); no update was applied from a partial sum", e);
            }
        }
        nanos += System.nanoTime() - t;
    }

    private void ring(double[] data) throws IOException {
        // Reduce-scatter: after P-1 steps replica r holds the whole sum of chunk r+1; all-gather then passes the
        // finished chunks round. Each chunk is summed in the same order wherever it is finished, so every replica
        // ends with the same bits.
        int n = data.length;
        for (int step = 0; step < size - 1; step++) {
            transfer(data, chunk(rank - step, n), chunk(rank - step - 1, n), true);
        }
        if (wireFloats) { // what the others receive is rounded to float: round the own finished chunk alike
            int[] own = chunk(rank + 1, n);
            for (int i = own[0]; i < own[1]; i++) {
                data[i] = (float) data[i];
            }
        }
        for (int step = 0; step < size - 1; step++) {
            transfer(data, chunk(rank + 1 - step, n), chunk(rank - step, n), false);
        }
    }

    /** Sends {@code send} to the right while receiving {@code receive} from the left, added or copied into data. */
    private void transfer(double[] data, int[] send, int[] receive, boolean add) throws IOException {
        int width = wireFloats ? 4 : 8;
        ByteBuffer outgoing = ByteBuffer.allocate((send[1] - send[0]) * width);
        for (int i = send[0]; i < send[1]; i++) {
            if (wireFloats) {
                outgoing.putFloat((float) data[i]);
            } else {
                outgoing.putDouble(data[i]);
            }
        }
        Future<?> sent = sender.submit(() -> {
            out.write(outgoing.array());
            out.flush();
            return null;
        });
        byte[] incoming = new byte[(receive[1] - receive[0]) * width];
        in.readFully(incoming);
        ByteBuffer got = ByteBuffer.wrap(incoming);
        for (int i = receive[0]; i < receive[1]; i++) {
            double v = wireFloats ? got.getFloat() : got.getDouble();
            data[i] = add ? data[i] + v : v;
        }
        bytesSent += outgoing.capacity();
        try {
            sent.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    /** The half-open range [from, to) of chunk {@code c} (taken modulo P) of an array of {@code n} values. */
    private int[] chunk(int c, int n) {
        int k = Math.floorMod(c, size);
        return new int[] {(int) ((long) n * k / size), (int) ((long) n * (k + 1) / size)};
    }

    /** Bytes this replica has sent so far (it receives as many). */
    public long bytesSent() {
        return bytesSent;
    }

    /** Calls of {@link #sum} so far. */
    public long calls() {
        return calls;
    }

    /** Seconds spent in {@link #sum} so far, waiting for the others included. */
    public double seconds() {
        return nanos / 1e9;
    }

    private static void pause() {
        try {
            Thread.sleep(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String describe(IOException e) {
        if (e instanceof EOFException) {
            return "it closed the connection: it failed or was killed";
        }
        if (e instanceof SocketTimeoutException) {
            return "no answer within the timeout";
        }
        return e.toString();
    }

    @Override
    public void close() {
        sender.shutdownNow();
        for (Socket s : new Socket[] {right, left}) {
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing is best effort: the task is ending anyway
                }
            }
        }
    }
}
