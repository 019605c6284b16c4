package dev.airlock.pool;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * For a {@link dev.airlock.SecondInstance}: logs the SQL of every statement one thread
 * prepares, from any repository.
 */
@TestConfiguration(proxyBeanMethods = false)
class StatementLog {

	static volatile Thread thread;

	static final List<String> statements = new CopyOnWriteArrayList<>();

	@Bean
	static BeanPostProcessor loggingDataSource() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String name) {
				return bean instanceof DataSource data ? proxy(DataSource.class, data, (target, method, args) -> {
					var result = method.invoke(target, args);
					return result instanceof Connection connection ? proxy(Connection.class, connection, (c, m, a) -> {
						if (m.getName().startsWith("prepare") && Thread.currentThread() == thread) {
							statements.add(String.valueOf(a[0]));
						}
						return m.invoke(c, a);
					}) : result;
				}) : bean;
			}
		};
	}

	private static <T> T proxy(Class<T> type, T target, Forward<T> forward) {
		InvocationHandler handler = (self, method, args) -> {
			try {
				return forward.call(target, method, args);
			}
			catch (InvocationTargetException e) {
				throw e.getCause();
			}
		};
		return type.cast(Proxy.newProxyInstance(StatementLog.class.getClassLoader(), new Class<?>[] { type }, handler));
	}

	interface Forward<T> {

		Object call(T target, Method method, Object[] args) throws Exception;

	}

}
