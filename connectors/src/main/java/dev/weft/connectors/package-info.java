/** File connectors for Weft datasets: Parquet, CSV, JSON lines, text and binary files over Hadoop {@code FileSystem}. */
package dev.weft.connectors;
