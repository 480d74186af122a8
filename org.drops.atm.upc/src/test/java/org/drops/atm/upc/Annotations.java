package org.drops.atm.upc;

import java.lang.reflect.Proxy;
import java.util.Map;

/** Instances of configuration annotations for tests: the annotation's defaults, with some values replaced. */
final class Annotations {

    private Annotations() {
    }

    static <A> A configuration(Class<A> type, Map<String, Object> values) {
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            if (values.containsKey(method.getName())) {
                return values.get(method.getName());
            }
            if (method.getDefaultValue() != null) {
                return method.getDefaultValue();
            }
            throw new UnsupportedOperationException(method.getName());
        });
        return type.cast(proxy);
    }
}
