package io.asyncengine.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * PostgreSQL pools used on virtual lanes get the spinning socket factory, and only those: not with
 * platform lanes, not when turned off, not over a socketFactory of the application's, not on other
 * drivers. With it, a chain of statements runs as before.
 */
@ExtendWith(OutputCaptureExtension.class)
class SocketReadSpinTests {

  private static final String FACTORY = "io.asyncengine.concurrent.internal.SpinningSocketFactory";

  @Test
  void bootsPostgresqlPoolOnVirtualLanesGetsTheFactoryAndChainsRun(CapturedOutput output) {
    Runners.datasource(StarterDatabases.require(StarterDatabases.POSTGRESQL)).run(context -> {
      HikariDataSource pool = context.getBean(DataSource.class).unwrap(HikariDataSource.class);
      assertThat(pool.getDataSourceProperties().getProperty("socketFactory")).isEqualTo(FACTORY);
      assertThat(output).contains("; socket reads wait briefly for the answer before parking");
      AsyncEngine engine = context.getBean(AsyncEngine.class);
      AsyncConnection conn = engine.connect().get(30, TimeUnit.SECONDS);
      CompletableFuture<Integer> chain = CompletableFuture.completedFuture(0);
      for (int i = 0; i < 200; i++) {
        chain = chain.thenCompose(sum -> conn.scalar(Integer.class, "select 1").thenApply(one -> sum + one));
      }
      assertThat(chain.get(60, TimeUnit.SECONDS)).isEqualTo(200);
      // A long answer (several reads, some of them after the spin gave up) arrives whole.
      assertThat(conn.scalar(Integer.class, "select length(string_agg(md5(g::text), '')) from generate_series(1, 20000) g")
          .get(60, TimeUnit.SECONDS)).isEqualTo(640_000);
      assertThat(conn.scalar(Integer.class, "select 1 from pg_sleep(0.2)").get(30, TimeUnit.SECONDS)).isEqualTo(1);
      conn.close().get(30, TimeUnit.SECONDS);
    });
  }

  @Test
  void engineOwnedPostgresqlPoolGetsTheFactory() {
    Runners.sqlite().withPropertyValues("async-engine.url=" + StarterDatabases.require(StarterDatabases.POSTGRESQL))
        .run(context -> {
          AsyncEngine engine = context.getBean(AsyncEngine.class);
          HikariDataSource pool = context.getBean(EngineDataSource.class).dataSource().unwrap(HikariDataSource.class);
          assertThat(pool.getDataSourceProperties().getProperty("socketFactory")).isEqualTo(FACTORY);
          assertThat(engine.runSync(c -> c.scalar(Integer.class, "select 41 + 1")).get(30, TimeUnit.SECONDS)).isEqualTo(42);
        });
  }

  @Test
  void platformLanesTurnedOffOrTheApplicationsOwnFactoryLeaveThePoolAlone() {
    String url = StarterDatabases.require(StarterDatabases.POSTGRESQL);
    Runners.datasource(url).withPropertyValues("async-engine.executor.mode=platform").run(context ->
        assertThat(socketFactory(context.getBean(DataSource.class))).isNull());
    Runners.datasource(url).withPropertyValues("async-engine.executor.spin-socket-reads=false").run(context ->
        assertThat(socketFactory(context.getBean(DataSource.class))).isNull());
    Runners.datasource(url)
        .withPropertyValues("spring.datasource.hikari.data-source-properties.socketFactory=" + PlainSocketFactory.class.getName())
        .run(context -> {
          assertThat(socketFactory(context.getBean(DataSource.class))).isEqualTo(PlainSocketFactory.class.getName());
          assertThat(context.getBean(AsyncEngine.class).runSync(c -> c.scalar(Integer.class, "select 1"))
              .get(30, TimeUnit.SECONDS)).isEqualTo(1);
        });
  }

  @Test
  void otherDriversAreLeftAlone() {
    Runners.datasource(StarterDatabases.require(StarterDatabases.MARIADB)).run(context ->
        assertThat(socketFactory(context.getBean(DataSource.class))).isNull());
    Runners.sqlite().run(context -> assertThat(context.getBean(AsyncEngine.class)).isNotNull());
  }

  /** An application's own socket factory (pgjdbc makes it by name): plain sockets. */
  public static final class PlainSocketFactory extends SocketFactory {
    @Override
    public Socket createSocket() throws IOException {
      return SocketFactory.getDefault().createSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return SocketFactory.getDefault().createSocket(host, port);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
      return SocketFactory.getDefault().createSocket(host, port, localHost, localPort);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return SocketFactory.getDefault().createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
      return SocketFactory.getDefault().createSocket(address, port, localAddress, localPort);
    }
  }

  private static String socketFactory(DataSource dataSource) throws Exception {
    return dataSource.unwrap(HikariDataSource.class).getDataSourceProperties().getProperty("socketFactory");
  }
}
