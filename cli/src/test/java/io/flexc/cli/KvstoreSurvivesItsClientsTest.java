package io.flexc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/kvstore answers every request whatever its clients do: a crashed store or script
 * compartment (proc with {@code FLEXC_PROC_ON_CRASH=fail-calls}) turns the requests that need it
 * into error replies, an integer overflow in a script is an error reply, idle connections cannot
 * lock new clients out, and oversize values and requests get error replies instead of a reset.
 * Replies are read over plain sockets with a timeout, so a request left unanswered fails a test
 * instead of hanging it.
 */
@Tag("slow")
class KvstoreSurvivesItsClientsTest {

  private static final String STORE_CRASHED = "-ERR the store is unavailable: its compartment crashed\r\n";
  private static final String PROTOCOL_CRASHED =
      "-ERR the protocol library is unavailable: its compartment crashed\r\n";
  private static final Map<String, String> FAIL_CALLS = Map.of("FLEXC_PROC_ON_CRASH", "fail-calls");

  @TempDir static Path temporary;
  /** The protocol beside the store: [app, net], [resp, store, alloc], [script]. */
  private static Path protocolWithStore;
  /** The store alone with its allocator: [app, net, resp], [store, alloc], [script]. */
  private static Path storeApart;

  @BeforeAll
  static void build() throws IOException {
    Path beside = Files.writeString(temporary.resolve("protocol-with-store.json"),
        "{\"compartments\": [[\"app\", \"net\"], [\"resp\", \"store\", \"alloc\"], [\"script\"]]}");
    protocolWithStore = KvstoreServer.build(temporary.resolve("protocol-with-store"), "--config", beside.toString());
    Path config = Files.writeString(temporary.resolve("store-apart.json"),
        "{\"compartments\": [[\"app\", \"net\", \"resp\"], [\"store\", \"alloc\"], [\"script\"]]}");
    storeApart = KvstoreServer.build(temporary.resolve("store-apart"), "--config", config.toString());
  }

  /** A request in RESP, as redis-cli sends it. */
  private static byte[] request(String... arguments) {
    StringBuilder text = new StringBuilder("*" + arguments.length + "\r\n");
    for (String argument : arguments) {
      text.append('$').append(argument.length()).append("\r\n").append(argument).append("\r\n");
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static Socket connect(KvstoreServer server) throws IOException {
    Socket socket = new Socket("127.0.0.1", server.port());
    socket.setSoTimeout(10_000);
    return socket;
  }

  /** Sends a request and reads its whole reply, as sent. */
  private static String call(Socket socket, String... arguments) throws IOException {
    socket.getOutputStream().write(request(arguments));
    return reply(socket.getInputStream());
  }

  private static String reply(InputStream in) throws IOException {
    String line = line(in);
    StringBuilder reply = new StringBuilder(line);
    if (line.startsWith("$") || line.startsWith("*")) {
      int count = Integer.parseInt(line.substring(1, line.length() - 2));
      if (line.startsWith("$") && count >= 0) {
        reply.append(new String(in.readNBytes(count + 2), StandardCharsets.UTF_8));
      }
      for (int i = 0; line.startsWith("*") && i < count; i++) {
        reply.append(reply(in));
      }
    }
    return reply.toString();
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      assertTrue(b >= 0, () -> "the connection ended in a reply: " + line);
      line.write(b);
    }
    line.write('\n');
    return line.toString(StandardCharsets.UTF_8);
  }

  /**
   * Kills the process of the compartment that owns {@code symbol}: the one process of the program
   * where the page of that global is not PROT_NONE.
   */
  private static void killCompartmentOf(KvstoreServer server, Path build, String symbol) throws Exception {
    long address = server.address(build, symbol);
    List<ProcessHandle> owners = new ArrayList<>();
    for (ProcessHandle compartment : Program.compartments(server.process().toHandle())) {
      for (String mapping : Files.readAllLines(Path.of("/proc", Long.toString(compartment.pid()), "maps"))) {
        String[] range = mapping.split("[- ]");
        if (Long.parseUnsignedLong(range[0], 16) <= address && address < Long.parseUnsignedLong(range[1], 16)
            && range[2].startsWith("rw")) {
          owners.add(compartment);
        }
      }
    }
    assertEquals(1, owners.size(), () -> "processes holding " + symbol + ": " + owners);
    owners.get(0).destroyForcibly();
    owners.get(0).onExit().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aCrashedStoreFailsTheRequestsThatNeedItAndTheOthersAreServed() throws Exception {
    try (KvstoreServer server = KvstoreServer.start(storeApart, FAIL_CALLS, temporary);
        Socket socket = connect(server)) {
      assertEquals("+OK\r\n", call(socket, "SET", "a", "1"));
      killCompartmentOf(server, storeApart, "entries");
      assertEquals("+PONG\r\n", call(socket, "PING"));
      assertEquals(STORE_CRASHED, call(socket, "GET", "a"));
      assertEquals(STORE_CRASHED, call(socket, "SET", "b", "2"));
      assertEquals("*2\r\n" + STORE_CRASHED + STORE_CRASHED, call(socket, "MGET", "a", "b"));
      assertEquals(STORE_CRASHED, call(socket, "DBSIZE"));
      assertEquals(STORE_CRASHED, call(socket, "EVAL", "get(a) + 1", "0"));
      assertEquals(":2\r\n", call(socket, "EVAL", "1 + 1", "0"));
      // The script engine's hole crashes its own compartment: scripts fail, the rest is served.
      assertEquals("-ERR the script engine has crashed; scripts are disabled\r\n",
          call(socket, "EVAL", "poke(0, 1)", "0"));
      assertEquals("+PONG\r\n", call(socket, "PING"));
      assertEquals("$5\r\nhello\r\n", call(socket, "ECHO", "hello"));
      assertEquals(0, server.stop());
      String output = server.output();
      assertTrue(output.contains("flexc: compartment 1 (alloc+store) died of signal 9 (Killed)\n"), output);
      assertTrue(output.contains("flexc: compartment 2 (script) died of signal 11 (Segmentation fault)\n"), output);
      assertTrue(output.endsWith("kvstore: stopped; the store had crashed\n"), output);
    }
  }

  @Test
  void withTheProtocolBesideTheStoreACrashOfTheirCompartmentStillAnswersEveryConnection() throws Exception {
    try (KvstoreServer server = KvstoreServer.start(protocolWithStore, FAIL_CALLS, temporary)) {
      try (Socket socket = connect(server)) {
        assertEquals("+PONG\r\n", call(socket, "PING"));
        killCompartmentOf(server, protocolWithStore, "entries");
        // Requests cannot be told apart without the parser: one error reply, then the end of the stream.
        assertEquals(PROTOCOL_CRASHED, call(socket, "PING"));
        assertEquals(-1, socket.getInputStream().read());
      }
      for (String command : List.of("PING", "GET")) {
        try (Socket socket = connect(server)) {
          assertEquals(PROTOCOL_CRASHED, call(socket, command, "a"));
          assertEquals(-1, socket.getInputStream().read());
        }
      }
      assertEquals(0, server.stop());
      assertTrue(server.output().contains("flexc: compartment 1 (alloc+resp+store) died of signal 9 (Killed)\n"),
          server.output());
    }
  }

  /** Without fail-calls a crash of any compartment would end the server (exit 125). */
  @Test
  void anIntegerOverflowInAScriptIsAnErrorReply() throws Exception {
    try (KvstoreServer server = KvstoreServer.start(protocolWithStore, Map.of(), temporary); Socket socket = connect(server)) {
      assertEquals("-ERR script: integer overflow at offset 25\r\n",
          call(socket, "EVAL", "-9223372036854775808 / -1", "0"));
      assertEquals(":0\r\n", call(socket, "EVAL", "-9223372036854775808 % -1", "0"));
      assertEquals(":-9223372036854775808\r\n", call(socket, "EVAL", "-9223372036854775807 - 1", "0"));
      assertEquals("-ERR script: integer overflow at offset 23\r\n", call(socket, "EVAL", "9223372036854775807 + 1",
          "0"));
      assertEquals("-ERR script: integer overflow at offset 18\r\n", call(socket, "EVAL", "9223372036854775808",
          "0"));
      assertEquals("-ERR script: expression nested too deeply at offset 256\r\n",
          call(socket, "EVAL", "(".repeat(5000) + "1" + ")".repeat(5000), "0"));
      assertEquals("+PONG\r\n", call(socket, "PING"));
      assertEquals(0, server.stop());
      assertFalse(server.output().contains("died"), server.output());
    }
  }

  /** The table holds 256 connections: the one quiet the longest makes room for a new one. */
  @Test
  void threeHundredIdleConnectionsDoNotLockANewClientOut() throws Exception {
    List<Socket> idle = new ArrayList<>();
    try (KvstoreServer server = KvstoreServer.start(protocolWithStore, Map.of(), temporary)) {
      for (int i = 0; i < 300; i++) {
        idle.add(connect(server));
      }
      try (Socket client = connect(server)) {
        assertEquals("+PONG\r\n", call(client, "PING"));
      }
      assertEquals(-1, idle.get(0).getInputStream().read(), "the first idle connection was closed");
      assertEquals("+PONG\r\n", call(idle.get(299), "PING"));
      assertEquals(0, server.stop());
    } finally {
      for (Socket socket : idle) {
        socket.close();
      }
    }
  }

  @Test
  void aValueOfSixteenKilobytesIsStoredAndOneByteMoreIsAnErrorReply() throws Exception {
    String value = "x".repeat(16 * 1024);
    try (KvstoreServer server = KvstoreServer.start(protocolWithStore, Map.of(), temporary); Socket socket = connect(server)) {
      assertEquals("+OK\r\n", call(socket, "SET", "k", value));
      assertEquals("$16384\r\n" + value + "\r\n", call(socket, "GET", "k"));
      assertEquals("-ERR value too large for this server (at most 16384 bytes)\r\n",
          call(socket, "SET", "k", value + "y"));
      assertEquals("+PONG\r\n", call(socket, "PING"));
      assertEquals(0, server.stop());
    }
  }

  /** The error reply, then the end of the stream: what the client still sends is read, not refused with a reset. */
  @Test
  void aRequestLargerThanTheInputBufferGetsAnErrorReplyAndACleanEnd() throws Exception {
    try (KvstoreServer server = KvstoreServer.start(protocolWithStore, Map.of(), temporary)) {
      try (Socket socket = connect(server)) {
        socket.getOutputStream().write(request("SET", "k", "x".repeat(1 << 20)));
        assertEquals("-ERR request too large for this server\r\n",
            new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      }
      try (Socket socket = connect(server)) {
        assertEquals("+PONG\r\n", call(socket, "PING"));
      }
      assertEquals(0, server.stop());
    }
  }
}
