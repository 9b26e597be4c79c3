package dev.nabla.data;

import dev.nabla.io.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the four gzipped MNIST files into {@code <dataDir>/mnist/} for a first run: each from the first mirror
 * that serves it with the right MD5, written atomically, so a failed or interrupted download leaves no partial
 * file. Files already there with the right MD5 are not fetched again.
 */
public final class MnistDownloader {
    /** The public mirrors, tried in this order; each serves the four files under their canonical names. */
    public static final List<URI> MIRRORS = List.of(
            URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/"),
            URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
            URI.create("http://yann.lecun.com/exdb/mnist/"));

    private static final Logger LOG = LoggerFactory.getLogger(MnistDownloader.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);

    /** Told how a download is going, after every chunk received. */
    @FunctionalInterface
    public interface Progress {
        /** {@code bytesTotal} is -1 when the server does not say the size. */
        void update(String file, long bytesDone, long bytesTotal);
    }

    /** A file to fetch: its name on the mirrors and in the folder, and the MD5 it must have. */
    record Wanted(String name, String md5) {
    }

    private final List<URI> mirrors;
    private final Progress progress;
    private final List<Wanted> files;
    private final HttpClient client;

    /** A downloader from the public {@link #MIRRORS} that logs its progress. */
    public MnistDownloader() {
        this(MIRRORS, loggingProgress());
    }

    /** A downloader from the given mirrors (base URIs, tried in order) reporting to {@code progress}. */
    public MnistDownloader(List<URI> mirrors, Progress progress) {
        this(mirrors, progress, canonicalFiles());
    }

    /** For tests: fetches {@code files} instead of MNIST's four. */
    MnistDownloader(List<URI> mirrors, Progress progress, List<Wanted> files) {
        if (mirrors.isEmpty()) {
            throw new IllegalArgumentException("MnistDownloader: no mirrors given");
        }
        this.mirrors = mirrors.stream().map(MnistDownloader::asFolder).toList();
        this.progress = progress;
        this.files = List.copyOf(files);
        this.client = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /**
     * Makes sure {@code <dataDir>/mnist/} holds every file with its right MD5, downloading what is missing or
     * damaged; returns that folder. Fails, naming each mirror and why it failed, when no mirror serves a file.
     */
    public Path download(Path dataDir) throws IOException {
        Path folder = dataDir.resolve(MnistFile.FOLDER);
        for (Wanted file : files) {
            Path target = folder.resolve(file.name());
            if (Files.isRegularFile(target)) {
                String md5 = md5(target);
                if (md5.equals(file.md5())) {
                    LOG.info("{} is already there with the right MD5", target);
                    continue;
                }
                LOG.warn("{} has MD5 {} instead of {}; downloading it again", target, md5, file.md5());
            }
            fetch(file, target);
        }
        return folder;
    }

    private void fetch(Wanted file, Path target) throws IOException {
        List<String> failures = new ArrayList<>();
        for (URI mirror : mirrors) {
            URI uri = mirror.resolve(file.name());
            try {
                AtomicFile.write(target, out -> copyChecked(uri, file, out));
                LOG.info("{} downloaded from {} ({} bytes, MD5 checked)", file.name(), mirror, Files.size(target));
                return;
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                LOG.warn("{}: {}", uri, describe(e));
                failures.add(uri + ": " + describe(e));
            }
        }
        throw new IOException("could not download " + file.name() + " into " + target.getParent()
                + " from any mirror:\n  " + String.join("\n  ", failures));
    }

    /** Streams {@code uri} into {@code out}, failing (so the write is abandoned) unless it has the wanted MD5. */
    private void copyChecked(URI uri, Wanted file, OutputStream out) throws IOException {
        HttpResponse<InputStream> response = send(uri);
        MessageDigest digest = newMd5();
        try (InputStream body = new DigestInputStream(response.body(), digest)) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode());
            }
            long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            long done = 0;
            progress.update(file.name(), done, total);
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = body.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                done += n;
                progress.update(file.name(), done, total);
            }
        }
        String md5 = HexFormat.of().formatHex(digest.digest());
        if (!md5.equals(file.md5())) {
            throw new IOException("MD5 " + md5 + " does not match the expected " + file.md5());
        }
    }

    private HttpResponse<InputStream> send(URI uri) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(RESPONSE_TIMEOUT).GET().build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while downloading " + uri);
        }
    }

    /** Our own failures by their message; the HTTP client's (often without one) by their type and cause. */
    private static String describe(IOException e) {
        String message = null;
        for (Throwable t = e; t != null && message == null; t = t.getCause()) {
            message = t.getMessage();
        }
        if (e.getClass() == IOException.class) {
            return message;
        }
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** Logs a line at every tenth of a file, or every 4 MiB when the server does not give the size. */
    public static Progress loggingProgress() {
        return new Progress() {
            private String file;
            private long step = -1;

            @Override
            public void update(String name, long bytesDone, long bytesTotal) {
                long now = bytesTotal > 0 ? bytesDone * 10 / bytesTotal : bytesDone >> 22;
                if (!name.equals(file) || now != step) {
                    file = name;
                    step = now;
                    LOG.info("{}: {} KiB{}", name, bytesDone >> 10,
                            bytesTotal > 0 ? " of " + (bytesTotal >> 10) + " KiB (" + now * 10 + "%)" : "");
                }
            }
        };
    }

    private static List<Wanted> canonicalFiles() {
        List<Wanted> wanted = new ArrayList<>();
        for (MnistFile f : MnistFile.values()) {
            wanted.add(new Wanted(f.gzName(), f.gzMd5));
        }
        return wanted;
    }

    /** The mirror as a folder, so that resolving a file name appends to it instead of replacing its last part. */
    private static URI asFolder(URI mirror) {
        return mirror.getPath().endsWith("/") ? mirror : URI.create(mirror + "/");
    }

    static String md5(Path file) throws IOException {
        MessageDigest digest = newMd5();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide MD5", e);
        }
    }
}
