package io.asyncengine.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay in front of a database server that can be frozen: while frozen it keeps every socket
 * open but forwards nothing, in either direction, as a network that drops packets without telling
 * anyone. Thawed, it forwards what it held; when one side closes, it closes the other.
 */
public final class FreezingProxy implements AutoCloseable {

  private final ServerSocket server;
  private final String targetHost;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean frozen;

  /** Starts relaying a local port to {@code targetHost:targetPort}. */
  public FreezingProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("freezing-proxy-accept").start(this::accept);
  }

  /** The local port to connect to instead of the server's. */
  public int port() {
    return server.getLocalPort();
  }

  /** Stops forwarding (the sockets stay open). */
  public void freeze() {
    frozen = true;
  }

  /** Forwards again, what was held first. */
  public void thaw() {
    frozen = false;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(targetHost, targetPort);
        sockets.add(client);
        sockets.add(upstream);
        Thread.ofVirtual().start(() -> pump(client, upstream));
        Thread.ofVirtual().start(() -> pump(upstream, client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        while (frozen) {
          Thread.sleep(5);
        }
        out.write(buffer, 0, read);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // one side went away: close both below
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing after a failure
    }
  }

  @Override
  public void close() throws IOException {
    thaw();
    server.close();
    for (Socket socket : sockets) {
      closeQuietly(socket);
    }
  }
}
