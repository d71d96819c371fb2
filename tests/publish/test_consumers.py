"""Reading the latest and a pinned release the ways the README shows: pandas, pyarrow, DuckDB, polars."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow.parquet as pq


def test_read_latest_and_pinned(published: tuple[Path, Path]) -> None:
    _, outputs = published
    latest = outputs / "latest"
    pinned = outputs / "releases" / latest.resolve().name

    zones = pd.read_parquet(latest / "pilot_zones.parquet")
    assert zones.loc[zones["city"] == "Hangzhou", "extent"].item() == "International"
    assert pd.read_parquet(pinned / "pilot_zones.parquet").equals(zones)

    schema = pq.read_schema(latest / "annual_indicators.parquet")
    assert schema.field("advertising_turnover_100m_cny").metadata[b"unit"] == b"100 million CNY"
    assert schema.field("third_party_mobile_payments_100m_cny").metadata[b"raw_header"] == b"China Third-Partv"
    assert b"pandas" not in (schema.metadata or {})

    rows = duckdb.sql(
        f"SELECT year, internet_penetration_pct FROM '{pinned / 'annual_indicators.parquet'}' "
        "WHERE year >= 2018 ORDER BY year"
    ).fetchall()
    assert rows == [(2018, 59.6), (2019, 61.2)]

    corrections = pl.read_parquet(latest / "corrections.parquet")
    assert corrections.filter(pl.col("rule") == "city_name_ocr")["after"].to_list() == ["Chongqing"]
