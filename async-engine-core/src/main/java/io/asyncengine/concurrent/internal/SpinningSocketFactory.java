package io.asyncengine.concurrent.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * pgjdbc's {@code socketFactory} for lanes on virtual threads: plain TCP sockets whose reads, on a
 * virtual thread, first wait actively (within {@link ChainSpin}'s budget and back-off) for the
 * server's answer. A virtual thread whose read finds no data parks, and the JDK's poller must wake
 * it and a carrier reschedule it: two wake-ups per round trip where a platform thread blocked in
 * the kernel has one. An answer that arrives while the thread spins is read at once.
 *
 * <p>Platform threads, and reads with data already buffered, read as a plain socket does. Only
 * unconnected sockets are made ({@link #createSocket()}, what pgjdbc calls); the other methods
 * connect them. Thread-safe; pgjdbc makes one instance per connection.
 */
public final class SpinningSocketFactory extends SocketFactory {

  /** Made by pgjdbc, by name. */
  public SpinningSocketFactory() {}

  /** An unconnected socket whose reads spin first on virtual threads. */
  @Override
  public Socket createSocket() {
    return new SpinningSocket();
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port), null);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port), null);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
    return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
  }

  private static Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
    Socket socket = new SpinningSocket();
    try {
      if (local != null) {
        socket.bind(local);
      }
      socket.connect(remote);
      return socket;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private static final class SpinningSocket extends Socket {
    private volatile InputStream in;

    @Override
    public InputStream getInputStream() throws IOException {
      InputStream wrapped = in;
      if (wrapped == null) {
        wrapped = new SpinningInput(super.getInputStream());
        in = wrapped; // a benign race: two wrappers of the same stream read the same bytes
      }
      return wrapped;
    }
  }

  private static final class SpinningInput extends FilterInputStream {
    SpinningInput(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      awaitData();
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      awaitData();
      return in.read(b, off, len);
    }

    private void awaitData() throws IOException {
      if (!Thread.currentThread().isVirtual() || in.available() > 0 || !ChainSpin.enter()) {
        return;
      }
      try {
        long deadline = System.nanoTime() + ChainSpin.ROUND_TRIP_NANOS;
        while (in.available() == 0) {
          if (System.nanoTime() - deadline >= 0 || !ChainSpin.worthIt()) {
            ChainSpin.missed();
            return;
          }
          Thread.onSpinWait();
        }
        ChainSpin.caught();
      } finally {
        ChainSpin.exit();
      }
    }
  }
}
