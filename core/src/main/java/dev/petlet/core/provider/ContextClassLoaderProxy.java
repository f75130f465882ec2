package dev.petlet.core.provider;

import static java.util.Objects.requireNonNull;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Runs every call into a provider object with the provider's class loader as the thread's context class
 * loader, as libraries inside the provider expect (ServiceLoader lookups, Jackson modules, Netty). SPI
 * interfaces the call returns (sessions, subscriptions, streams) are wrapped the same way.
 */
final class ContextClassLoaderProxy implements InvocationHandler {
    private final Object target;
    private final ClassLoader loader;

    private ContextClassLoaderProxy(Object target, ClassLoader loader) {
        this.target = requireNonNull(target, "target");
        this.loader = requireNonNull(loader, "loader");
    }

    /** {@code target} seen through {@code type}, each call run with {@code loader} as the context class loader. */
    static <T> T wrap(Class<T> type, T target, ClassLoader loader) {
        return type.cast(Proxy.newProxyInstance(
                ContextClassLoaderProxy.class.getClassLoader(),
                new Class<?>[] {type},
                new ContextClassLoaderProxy(target, loader)));
    }

    /** Runs {@code action} with {@code loader} as the context class loader. */
    static <T, E extends Exception> T call(ClassLoader loader, ProviderCall<T, E> action) throws E {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return action.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** A call into a provider. */
    @FunctionalInterface
    interface ProviderCall<T, E extends Exception> {
        T call() throws E;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] arguments) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == arguments[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "provider object " + target;
            };
        }
        Object result;
        try {
            result = call(loader, () -> {
                try {
                    return method.invoke(target, arguments);
                } catch (InvocationTargetException e) {
                    throw new ThrownByProvider(e.getCause());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot call " + method + " on " + target, e);
                }
            });
        } catch (ThrownByProvider e) {
            throw e.getCause();
        }
        return wrapResult(method.getReturnType(), result);
    }

    @SuppressWarnings("unchecked")
    private Object wrapResult(Class<?> type, Object result) {
        if (result == null || !type.isInterface() || !type.getPackageName().startsWith("dev.petlet.spi")) {
            return result;
        }
        return wrap((Class<Object>) type, result, loader);
    }

    /** Carries what the provider threw out of the lambda, to be rethrown as it is. */
    private static final class ThrownByProvider extends Exception {
        ThrownByProvider(Throwable cause) {
            super(null, cause, false, false);
        }
    }

    @Override
    public String toString() {
        return "ContextClassLoaderProxy[" + target + "]";
    }
}
