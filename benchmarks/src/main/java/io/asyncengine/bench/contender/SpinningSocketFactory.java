package io.asyncengine.bench.contender;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.SocketFactory;

/**
 * Experiment: a socket whose reads, on a virtual thread, wait actively (up to {@link #NANOS}) for the
 * answer before a blocking read would park the thread and leave its wake-up to the JDK's poller.
 */
public final class SpinningSocketFactory extends SocketFactory {

  static final long NANOS = Long.getLong("bench.spin.socket.nanos", 100_000);
  private static final int MAX = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  private static final AtomicInteger SPINNING = new AtomicInteger();

  public SpinningSocketFactory() {}

  @Override
  public Socket createSocket() {
    return new SpinningSocket();
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    Socket s = createSocket();
    s.connect(new java.net.InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    throw new UnsupportedOperationException();
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    Socket s = createSocket();
    s.connect(new java.net.InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
    throw new UnsupportedOperationException();
  }

  private static final class SpinningSocket extends Socket {
    private InputStream in;

    @Override
    public synchronized InputStream getInputStream() throws IOException {
      if (in == null) {
        in = new SpinningInput(super.getInputStream());
      }
      return in;
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
      if (!Thread.currentThread().isVirtual() || in.available() > 0) {
        return;
      }
      int now = SPINNING.get();
      if (now >= MAX || !SPINNING.compareAndSet(now, now + 1)) {
        return;
      }
      try {
        long deadline = System.nanoTime() + NANOS;
        while (in.available() == 0 && System.nanoTime() - deadline < 0) {
          Thread.onSpinWait();
        }
      } finally {
        SPINNING.decrementAndGet();
      }
    }
  }
}
