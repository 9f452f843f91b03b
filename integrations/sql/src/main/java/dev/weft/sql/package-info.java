/** SQL over Weft datasets through Apache Calcite: a catalog of tables, queries that return datasets, a JDBC driver. */
package dev.weft.sql;
