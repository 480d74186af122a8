package org.drops.atm.itest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's Chromium, headless, driven through its DevTools protocol over a WebSocket (the JDK's HTTP client):
 * open a page, evaluate JavaScript in it, take a screenshot. Started with the flags this machine needs (no
 * background networking, no sandbox as root, a fresh profile); ended, with its child processes, by close().
 */
final class HeadlessChromium implements AutoCloseable {

    static final Duration START_DEADLINE = Duration.ofSeconds(30);
    static final Duration CALL_DEADLINE = Duration.ofSeconds(30);
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final String devtoolsHttp;
    private final List<String> log = new ArrayList<>();
    private WebSocket page;
    private final Map<Integer, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    private HeadlessChromium(Process process, String browserWebSocket) {
        this.process = process;
        URI ws = URI.create(browserWebSocket);
        this.devtoolsHttp = "http://" + ws.getHost() + ":" + ws.getPort();
    }

    /** Starts Chromium with an empty profile in {@code profile}; DevTools on a free port of 127.0.0.1. */
    static HeadlessChromium start(Path chromium, Path profile) throws IOException {
        Files.createDirectories(profile);
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0", "--window-size=1400,1100", "about:blank")
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        CompletableFuture<String> endpoint = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        endpoint.complete(m.group(1));
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            endpoint.completeExceptionally(new IOException("chromium ended before DevTools listened"));
        }, "chromium-output");
        reader.setDaemon(true);
        reader.start();
        try {
            HeadlessChromium c = new HeadlessChromium(p, endpoint.get(START_DEADLINE.toSeconds(), TimeUnit.SECONDS));
            synchronized (lines) {
                c.log.addAll(lines);
            }
            return c;
        } catch (Exception e) {
            destroy(p);
            synchronized (lines) {
                throw new IOException("chromium did not start DevTools: " + e + "\n" + String.join("\n", lines), e);
            }
        }
    }

    /** Opens {@code url} in a new tab and attaches to it. */
    void open(String url) throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(devtoolsHttp + "/json/new?" + url))
                .PUT(HttpRequest.BodyPublishers.noBody()).timeout(CALL_DEADLINE).build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 200) {
            throw new IOException("DevTools /json/new answered " + created.statusCode() + ": " + created.body());
        }
        String socket = json.readTree(created.body()).path("webSocketDebuggerUrl").asText();
        page = http.newWebSocketBuilder().buildAsync(URI.create(socket), new Listener()).get(CALL_DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    /** Evaluates a JavaScript expression in the page; returns its value (JSON). */
    JsonNode evaluate(String expression) throws Exception {
        ObjectNode params = json.createObjectNode().put("expression", expression).put("returnByValue", true)
                .put("awaitPromise", true);
        JsonNode result = call("Runtime.evaluate", params);
        if (result.has("exceptionDetails")) {
            throw new AssertionError("the page threw evaluating " + expression + ": " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** A PNG of the page as it is now. */
    byte[] screenshot() throws Exception {
        JsonNode result = call("Page.captureScreenshot", json.createObjectNode().put("format", "png"));
        return Base64.getDecoder().decode(result.path("data").asText());
    }

    private JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        calls.put(id, answer);
        ObjectNode message = json.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        page.sendText(json.writeValueAsString(message), true).get(CALL_DEADLINE.toSeconds(), TimeUnit.SECONDS);
        JsonNode reply = answer.get(CALL_DEADLINE.toSeconds(), TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new IOException(method + " failed: " + reply.get("error"));
        }
        return reply.path("result");
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode message = json.readTree(text);
                    if (message.has("id")) {
                        CompletableFuture<JsonNode> f = calls.remove(message.get("id").asInt());
                        if (f != null) {
                            f.complete(message);
                        }
                    }
                } catch (IOException e) {
                    calls.values().forEach(f -> f.completeExceptionally(e));
                }
            }
            socket.request(1);
            return null;
        }
    }

    String output() {
        return String.join("\n", log);
    }

    @Override
    public void close() {
        if (page != null) {
            page.abort();
        }
        destroy(process);
    }

    private static void destroy(Process p) {
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.addAll(p.descendants().toList());
        tree.forEach(ProcessHandle::destroyForcibly);
    }
}
