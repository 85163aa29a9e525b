package dev.boardcast.support;

import java.util.concurrent.atomic.AtomicLong;

import io.r2dbc.proxy.ProxyConnectionFactory;
import io.r2dbc.proxy.core.QueryExecutionInfo;
import io.r2dbc.proxy.listener.ProxyExecutionListener;
import io.r2dbc.spi.ConnectionFactory;

import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Counts the SQL statements the app sends, through r2dbc-proxy around the real connection
 * factory.
 */
public class SqlCounter implements BeanPostProcessor {

	private final AtomicLong statements = new AtomicLong();

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof ConnectionFactory factory && !(beanName.contains("proxy"))) {
			return ProxyConnectionFactory.builder(factory).listener(new ProxyExecutionListener() {
				@Override
				public void afterQuery(QueryExecutionInfo execInfo) {
					SqlCounter.this.statements.addAndGet(execInfo.getQueries().size());
				}
			}).build();
		}
		return bean;
	}

	public long statements() {
		return this.statements.get();
	}

}
