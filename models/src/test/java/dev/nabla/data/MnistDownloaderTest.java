package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.nabla.io.TestData;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the downloader against a local HTTP server on 127.0.0.1; never touches the network. */
class MnistDownloaderTest {
    private static final byte[] SMALL = "a small fake file".getBytes(StandardCharsets.US_ASCII);
    /** Larger than one read buffer, so progress is reported more than once. */
    private static final byte[] LARGE = new byte[200_000];

    static {
        new Random(7).nextBytes(LARGE);
    }

    @TempDir
    Path dataDir;

    private HttpServer server;
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Long> lastProgress = new HashMap<>();
    private List<MnistDownloader.Wanted> wanted;

    @BeforeEach
    void startServer() throws IOException {
        wanted = List.of(new MnistDownloader.Wanted("small.gz", md5(SMALL)),
                new MnistDownloader.Wanted("large.gz", md5(LARGE)));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/good/", ex -> respond(ex, 200, payload(ex)));
        server.createContext("/bad/", ex -> {
            byte[] damaged = payload(ex).clone();
            damaged[damaged.length - 1] ^= 1;
            respond(ex, 200, damaged);
        });
        server.createContext("/missing/", ex -> respond(ex, 404, new byte[0]));
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void triesTheMirrorsInTurnUntilOneServesTheRightBytes() throws IOException {
        Path folder = downloader(mirror("missing"), mirror("bad"), mirror("good")).download(dataDir);
        assertEquals(dataDir.resolve("mnist"), folder);
        assertArrayEquals(SMALL, Files.readAllBytes(folder.resolve("small.gz")));
        assertArrayEquals(LARGE, Files.readAllBytes(folder.resolve("large.gz")));
        assertEquals(List.of("/missing/small.gz", "/bad/small.gz", "/good/small.gz",
                "/missing/large.gz", "/bad/large.gz", "/good/large.gz"), requests);
        assertEquals(Map.of("small.gz", (long) SMALL.length, "large.gz", (long) LARGE.length), lastProgress);
        assertEquals(List.of("large.gz", "small.gz"), names(folder), "no temporary file is left behind");
    }

    @Test
    void failsClearlyAndLeavesNoFileWhenNoMirrorServesIt() {
        IOException e = assertThrows(IOException.class,
                () -> downloader(mirror("missing"), mirror("bad")).download(dataDir));
        String message = e.getMessage();
        for (String fragment : new String[] {"could not download small.gz", mirror("missing") + "small.gz: HTTP 404",
            mirror("bad") + "small.gz: MD5", "does not match the expected " + wanted.get(0).md5()}) {
            assertTrue(message.contains(fragment), "expected '" + fragment + "' in: " + message);
        }
        assertEquals(List.of(), names(dataDir.resolve("mnist")));
    }

    @Test
    void skipsAnUnreachableMirror() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        URI dead = URI.create("http://127.0.0.1:" + closedPort + "/mnist/");
        downloader(dead, mirror("good")).download(dataDir);
        assertArrayEquals(LARGE, Files.readAllBytes(dataDir.resolve("mnist/large.gz")));
    }

    @Test
    void keepsGoodFilesAndReplacesDamagedOnes() throws IOException {
        Path folder = Files.createDirectories(dataDir.resolve("mnist"));
        Files.write(folder.resolve("small.gz"), SMALL);
        Files.write(folder.resolve("large.gz"), new byte[] {1, 2, 3});
        downloader(mirror("good")).download(dataDir);
        assertEquals(List.of("/good/large.gz"), requests);
        assertArrayEquals(LARGE, Files.readAllBytes(folder.resolve("large.gz")));
    }

    @Test
    void acceptsAMirrorWithoutTheTrailingSlash() throws IOException {
        String good = mirror("good").toString();
        downloader(URI.create(good.substring(0, good.length() - 1))).download(dataDir);
        assertEquals(List.of("/good/small.gz", "/good/large.gz"), requests);
    }

    @Test
    void knowsTheMd5sOfTheRealFilesAndSkipsThem() throws IOException {
        for (MnistFile file : MnistFile.values()) {
            assertEquals(file.gzMd5, md5(Files.readAllBytes(TestData.file("mnist/" + file.gzName()))), file.gzName());
        }
        // Every file is present and right, so this must not even try its (unserved) mirror.
        new MnistDownloader(List.of(mirror("missing")), (f, done, total) -> { }).download(TestData.dir());
        assertEquals(List.of(), requests);
    }

    @Test
    void needsAtLeastOneMirror() {
        assertThrows(IllegalArgumentException.class, () -> new MnistDownloader(List.of(), (f, done, total) -> { }));
    }

    private MnistDownloader downloader(URI... mirrors) {
        return new MnistDownloader(List.of(mirrors), (file, done, total) -> {
            assertTrue(total == -1 || done <= total, file + ": " + done + " of " + total);
            lastProgress.put(file, done);
        }, wanted);
    }

    private URI mirror(String name) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + name + "/");
    }

    private byte[] payload(HttpExchange exchange) {
        return exchange.getRequestURI().getPath().endsWith("/small.gz") ? SMALL : LARGE;
    }

    private void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        requests.add(exchange.getRequestURI().getPath());
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> names(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
