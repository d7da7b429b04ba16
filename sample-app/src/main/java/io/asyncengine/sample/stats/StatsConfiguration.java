package io.asyncengine.sample.stats;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The figures of {@code /api/stats}; each is a {@link StatsQuery} bean, and more may be added. */
@Configuration(proxyBeanMethods = false)
class StatsConfiguration {

  @Bean
  StatsQuery usersCount() {
    return StatsQuery.scalar("users", "select count(*) from sample_users");
  }

  @Bean
  StatsQuery accountsCount() {
    return StatsQuery.scalar("accounts", "select count(*) from sample_accounts");
  }

  @Bean
  StatsQuery totalBalance() {
    return StatsQuery.scalar("totalBalance", "select coalesce(sum(balance), 0) from sample_accounts");
  }

  @Bean
  StatsQuery transfersCount() {
    return StatsQuery.scalar("transfers", "select count(*) from sample_transfers");
  }
}
