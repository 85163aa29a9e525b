package dev.boardcast.events;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The in-process bus, unless a cross-replica bus is configured. */
@Configuration(proxyBeanMethods = false)
class EventBusConfig {

	@Bean
	@ConditionalOnMissingBean(EventBus.class)
	EventBus inProcessEventBus() {
		return new InProcessEventBus();
	}

}
