/**
 * The SQL cache store: one table on PostgreSQL, MariaDB/MySQL, SQLite or H2, over HikariCP. The
 * SQL session store is in {@code dev.hoard.jdbc.session}.
 *
 * <p>Add {@code hoard-jdbc} and the driver of your database ({@code org.postgresql:postgresql},
 * {@code org.mariadb.jdbc:mariadb-java-client} 3.5.x, {@code org.xerial:sqlite-jdbc} or {@code
 * com.h2database:h2}); the drivers are optional dependencies of this module, so none is pulled in
 * that you do not run. Then {@code Caches.open("jdbc:postgresql://db/app?user=app&table=cache")}
 * or {@code Sessions.open("jdbc:postgresql://db/app?user=app")}.
 */
package dev.hoard.jdbc;
