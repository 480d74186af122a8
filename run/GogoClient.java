import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sends Gogo command lines to the telnet daemon of a running DROPS ATM platform and prints the plain
 * text that comes back. No dependencies: run it with the JDK's source launcher, {@code java GogoClient.java}
 * (run/gogo does).
 *
 * <p>The Gogo telnet daemon runs one session per connection: the client writes every command line,
 * half-closes the socket so the session sees end of input, and reads to end of stream. Telnet option
 * negotiation, the banner, the {@code g! } prompts and the closing "gosh: stopping shell" are removed.
 *
 * <p>Exit codes: 0 when every command ran; 1 when the shell reported an error for a command (a line
 * starting with {@code gogo: }); 2 when the daemon could not be reached or did not answer in time;
 * 3 for a usage error.
 */
public final class GogoClient {

    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 2019;
    static final long DEFAULT_TIMEOUT_SECONDS = 60;
    static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    static final long RETRY_INTERVAL_MILLIS = 200;

    private static final int IAC = 255, SB = 250, SE = 240, WILL = 251, DONT = 254;
    private static final String PROMPT = "g! ";
    private static final String ERROR_PREFIX = "gogo: ";

    public static void main(String[] args) throws IOException {
        String host = DEFAULT_HOST;
        int port = Integer.getInteger("gogo.port", DEFAULT_PORT);
        long timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
        long waitSeconds = 0;
        List<String> commands = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--host" -> host = args[++i];
                    case "--port", "-p" -> port = Integer.parseInt(args[++i]);
                    case "--timeout" -> timeoutSeconds = Long.parseLong(args[++i]);
                    case "--wait" -> waitSeconds = Long.parseLong(args[++i]);
                    case "-h", "--help" -> {
                        usage();
                        System.exit(0);
                    }
                    default -> {
                        if (args[i].startsWith("--") && commands.isEmpty()) {
                            throw new IllegalArgumentException("unknown option " + args[i]);
                        }
                        commands.add(args[i]);
                    }
                }
            }
        } catch (RuntimeException e) {
            System.err.println("gogo: " + e.getMessage());
            usage();
            System.exit(3);
        }
        byte[] input = commands.isEmpty()
                ? System.in.readAllBytes()
                : (String.join("\n", commands) + "\n").getBytes(StandardCharsets.UTF_8);

        String output;
        try (Socket socket = connect(host, port, waitSeconds)) {
            output = converse(socket, input, timeoutSeconds);
        } catch (ConnectException e) {
            System.err.printf("gogo: no Gogo telnet daemon on %s:%d (%s)%n", host, port, e.getMessage());
            System.exit(2);
            return;
        } catch (SocketTimeoutException e) {
            System.err.printf("gogo: %s:%d did not finish within %d s%n", host, port, timeoutSeconds);
            System.exit(2);
            return;
        }
        String text = plainText(output);
        System.out.print(text);
        System.out.flush();
        boolean failed = text.lines().anyMatch(line -> line.startsWith(ERROR_PREFIX));
        System.exit(failed ? 1 : 0);
    }

    /** Connects, retrying until {@code waitSeconds} have passed: lets a script wait for a starting platform. */
    static Socket connect(String host, int port, long waitSeconds) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
        while (true) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
                return socket;
            } catch (IOException e) {
                socket.close();
                if (System.nanoTime() - deadline >= 0) {
                    throw e instanceof ConnectException ce ? ce : new ConnectException(e.toString());
                }
                sleep(RETRY_INTERVAL_MILLIS);
            }
        }
    }

    static String converse(Socket socket, byte[] input, long timeoutSeconds) throws IOException {
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, TimeUnit.SECONDS.toMillis(timeoutSeconds)));
        OutputStream out = socket.getOutputStream();
        out.write(input);
        out.flush();
        socket.shutdownOutput(); // end of input ends the Gogo session after the last command
        return withoutTelnetNegotiation(socket.getInputStream());
    }

    /** Drops IAC command sequences (RFC 854): option negotiation and subnegotiation; IAC IAC is a data 255. */
    static String withoutTelnetNegotiation(InputStream in) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b != IAC) {
                data.write(b);
                continue;
            }
            int command = in.read();
            if (command == IAC) {
                data.write(IAC);
            } else if (command >= WILL && command <= DONT) {
                in.read(); // the option byte
            } else if (command == SB) {
                int previous = 0;
                while ((b = in.read()) >= 0 && !(previous == IAC && b == SE)) {
                    previous = b;
                }
            }
        }
        return data.toString(StandardCharsets.UTF_8);
    }

    /** Removes the banner, the prompts and the session's closing line; normalises line ends. */
    static String plainText(String session) {
        StringBuilder text = new StringBuilder();
        boolean inBanner = true;
        for (String line : session.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1)) {
            while (line.startsWith(PROMPT)) {
                line = line.substring(PROMPT.length());
            }
            if (line.equals(PROMPT.strip())) {
                line = "";
            }
            if (inBanner) {
                if (line.startsWith("____") || line.startsWith("Welcome to Apache Felix Gogo")) {
                    continue;
                }
                if (line.isEmpty()) {
                    continue;
                }
                inBanner = false;
            }
            if (line.equals("gosh: stopping shell")) {
                continue;
            }
            text.append(line).append('\n');
        }
        // the output of the last command is followed by an empty prompt line: drop trailing blank lines
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '\n') {
            end--;
        }
        return end == 0 ? "" : text.substring(0, end) + "\n";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void usage() {
        System.err.println("""
                Usage: run/gogo [--port N] [--host H] [--wait S] [--timeout S] [command ...]
                  Sends each command (a Gogo command line) to the platform's telnet daemon and prints the output.
                  Without commands, the command lines are read from standard input.
                  --port N     telnet daemon port (default 2019, or the gogo.port system property)
                  --host H     default 127.0.0.1; the daemon has no authentication: use loopback only
                  --wait S     keep trying to connect for S seconds (default 0: fail at once)
                  --timeout S  give up when the session has not ended after S seconds (default 60)
                Exit: 0 ok, 1 a command failed (gogo: ...), 2 no daemon or no answer in time, 3 usage.""");
    }
}
