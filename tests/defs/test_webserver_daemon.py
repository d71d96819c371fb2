"""The real thing: dagster-webserver and dagster-daemon on 127.0.0.1 with a temporary DAGSTER_HOME.
Through the GraphQL API: the code location loads with every asset and check, a full run succeeds, the
sensor is turned on, a new registered extract is dropped into raw/, and the sensor's run publishes a new
release. Every process started here is stopped here."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest

from pipeline.defs.location import build_definitions
from pipeline.settings import DEFAULT_RAW_DIR, PROJECT_ROOT
from tests.helpers import keep_only

pytestmark = pytest.mark.e2e
BIN = Path(sys.executable).parent
NEW_ARTICLE = "New zone figures\n\nCross-border e-commerce exports of the zone reached 4.5 billion yuan in 2021.\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Dagster:
    def __init__(self, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}"

    def graphql(self, query: str, variables: dict | None = None) -> dict:
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        request = urllib.request.Request(f"{self.url}/graphql", body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            data = json.loads(response.read())
        assert "errors" not in data, data
        return data["data"]

    def wait_for_run(self, run_id: str, timeout: float = 300) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.graphql(
                "query($id: ID!) { runOrError(runId: $id) { ... on Run { status } } }", {"id": run_id}
            )["runOrError"]["status"]
            if status in ("SUCCESS", "FAILURE", "CANCELED"):
                return status
            time.sleep(2)
        raise TimeoutError(f"run {run_id} did not finish in {timeout} s")


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[tuple[Dagster, Path, Path, dict[str, str]]]:
    raw, outputs, home = tmp_path / "raw", tmp_path / "outputs", tmp_path / "dagster_home"
    shutil.copytree(DEFAULT_RAW_DIR, raw)
    keep_only(raw)  # the seed registry: what the test counts
    home.mkdir()
    shutil.copy(PROJECT_ROOT / "deploy" / "dagster.local.yaml", home / "dagster.yaml")
    env = {**os.environ, "DAGSTER_HOME": str(home), "PIPELINE_RAW_DIR": str(raw), "PIPELINE_OUTPUTS_DIR": str(outputs),
           "PIPELINE_SENSOR_INTERVAL": "2"}  # fmt: skip
    # Create the instance's SQLite storage here, before either server starts: started together, the
    # webserver and the daemon both ran the schema migration and one died on "table alembic_version
    # already exists" (seen on a loaded machine). Then the webserver, and the daemon once it answers.
    with dg.DagsterInstance.from_config(str(home)):
        pass
    port = _free_port()
    logs = [(tmp_path / f"{name}.log").open("w") for name in ("webserver", "daemon")]
    processes = [
        subprocess.Popen([str(BIN / "dagster-webserver"), "-h", "127.0.0.1", "-p", str(port),
                          "-w", "workspace.yaml"],
                         cwd=PROJECT_ROOT, env=env, stdout=logs[0], stderr=subprocess.STDOUT, start_new_session=True),
    ]  # fmt: skip
    dagster = Dagster(port)
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"{dagster.url}/server_info", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
                    raise RuntimeError((tmp_path / "webserver.log").read_text()[-3000:]) from None
                time.sleep(1)
        daemon = [str(BIN / "dagster-daemon"), "run", "-w", "workspace.yaml"]
        processes.append(
            subprocess.Popen(
                daemon, cwd=PROJECT_ROOT, env=env, stdout=logs[1], stderr=subprocess.STDOUT, start_new_session=True
            )
        )
        yield dagster, raw, outputs, env
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        for log in logs:
            log.close()


REPOSITORY = """{ repositoriesOrError { ... on RepositoryConnection { nodes {
  name location { name } jobs { name } sensors { name } schedules { name }
  assetNodes { assetKey { path } assetChecksOrError { ... on AssetChecks { checks { name } } } } } } } }"""


def _release(outputs: Path) -> str | None:
    latest = outputs / "latest"
    return latest.resolve().name if latest.is_symlink() else None


def test_webserver_and_daemon_run_and_the_sensor_publishes_a_new_extract(
    servers: tuple[Dagster, Path, Path, dict[str, str]],
) -> None:
    dagster, raw, outputs, env = servers
    (repository,) = dagster.graphql(REPOSITORY)["repositoriesOrError"]["nodes"]
    assert repository["location"]["name"] == "ccbec_pipeline"  # the name dg dev and scripts/run-pipeline use
    expected = build_definitions(raw, outputs).resolve_asset_graph()
    keys = {"/".join(n["assetKey"]["path"]) for n in repository["assetNodes"]}
    assert keys == {k.to_user_string() for k in expected.get_all_asset_keys()}
    checks = {("/".join(n["assetKey"]["path"]), c["name"]) for n in repository["assetNodes"]
              for c in (n["assetChecksOrError"] or {}).get("checks", [])}  # fmt: skip
    assert checks == {(c.asset_key.to_user_string(), c.name) for c in expected.asset_check_keys}
    assert {s["name"] for s in repository["sensors"]} == {"full_refresh", "raw_files_changed", "report_failed_run"}
    assert repository["schedules"] == []  # the daily refresh is declarative automation (full_refresh)
    selector = {"repositoryLocationName": repository["location"]["name"], "repositoryName": repository["name"]}

    # scripts/run-pipeline's run: executed in its own process, and a run of the location the UI shows
    done = subprocess.run([sys.executable, "-m", "pipeline.defs.launch"], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    run_id = done.stdout.strip().splitlines()[-1].split()[1]  # "run <id> of materialize_all in ...: SUCCESS"
    found = dagster.graphql(
        """query($id: ID!) { runOrError(runId: $id) { ... on Run { status repositoryOrigin {
             repositoryLocationName } } } }""",
        {"id": run_id},
    )["runOrError"]
    assert found == {"status": "SUCCESS", "repositoryOrigin": {"repositoryLocationName": "ccbec_pipeline"}}
    first = _release(outputs)
    assert first is not None

    started = dagster.graphql(
        "mutation($s: SensorSelector!) { startSensor(sensorSelector: $s) { __typename } }",
        {"s": {**selector, "sensorName": "raw_files_changed"}},
    )["startSensor"]
    assert started["__typename"] == "Sensor", started
    # a new registered extract dropped into raw/
    (raw / "extracts" / "new_article.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    with (raw / "sources.yaml").open("a", encoding="utf-8") as registry:
        registry.write(
            f"""
  - id: new_article
    path: extracts/new_article.txt
    sha256: "{hashlib.sha256(NEW_ARTICLE.encode()).hexdigest()}"
    kind: news_article
    title: New zone figures
    publisher: test
    published: "2022-03-01"
    url: null
    extracts: reported figures
"""
        )
    deadline = time.monotonic() + 300
    while _release(outputs) == first and time.monotonic() < deadline:
        time.sleep(3)
    assert _release(outputs) != first, "the sensor's run did not publish a new release"
    runs = dagster.graphql(
        """{ runsOrError(filter: {tags: [{key: "pipeline/trigger", value: "raw files changed"}]}) {
             ... on Runs { results { runId status } } } }"""
    )["runsOrError"]["results"]
    # latest moves during the run (the release step), before the report step and the run end: wait for
    # the run itself (it was read as finished too early on a loaded machine)
    assert runs, "no run tagged by the sensor"
    assert any(dagster.wait_for_run(r["runId"]) == "SUCCESS" for r in runs), runs
    manifest = json.loads((outputs / "latest" / "manifest.json").read_text(encoding="utf-8"))
    assert "new_article" in manifest["inputs"]
    figures = __import__("pandas").read_parquet(outputs / "latest" / "reported_figures.parquet")
    assert figures.loc[figures["source_id"] == "new_article", "value"].tolist() == [4.5e9]


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None and os.environ.get("CI") != "true", reason="chromium not installed")
def test_materialize_all_in_the_ui_shows_the_broken_extract_where_it_was_read(
    servers: tuple[Dagster, Path, Path, dict[str, str]],
) -> None:
    """An analyst's path: an extract edited behind the registry, "Materialize all" clicked in the UI, and the
    asset that read the file shows a failed check naming the file and the fix; the failed run (Dagster's
    implicit asset job, not materialize_all) still gets its candidate report."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM is not None, "CI must install Debian's chromium (see .ci/run)"
    dagster, raw, outputs, _ = servers
    appendix = raw / "extracts" / "000_7a1c8b4bcb024347.txt"
    appendix.write_text(appendix.read_text(encoding="utf-8").replace("2019 34.81", "2019 34.80"), encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{dagster.url}/asset-groups")
        button = page.get_by_role("button", name="Materialize all")
        button.wait_for(timeout=120_000)
        skip = page.get_by_role("button", name="Skip")  # the community dialog of a fresh instance
        if _visible(skip):
            skip.click()
        button.click()
        run = _the_run(dagster)
        assert (run["jobName"], dagster.wait_for_run(run["runId"])) == ("__ASSET_JOB", "FAILURE")
        page.goto(f"{dagster.url}/assets/indicator_table_cells?view=checks")
        page.get_by_text("Latest execution").wait_for(timeout=60_000)
        page.get_by_text("sources_read", exact=True).first.click()  # the asset has two checks: open this one
        # the evaluation's description renders after the rest of the panel: wait for it, then read the page
        page.get_by_text("content has changed since it was registered", exact=False).first.wait_for(timeout=60_000)
        text = page.inner_text("body")
        browser.close()
    assert "sources_read" in text and "Failed" in text
    assert (
        "raw/extracts/000_7a1c8b4bcb024347.txt: content has changed since it was registered as "
        "'paper_appendix_2020'" in text
    )
    assert "python -m pipeline register paper_appendix_2020" in text
    candidate = outputs / "candidate" / "quality_report.json"
    deadline = time.monotonic() + 120  # the failed-run sensor watches every job, the UI's included
    while not candidate.exists() and time.monotonic() < deadline:
        time.sleep(2)
    assert json.loads(candidate.read_text(encoding="utf-8"))["verdict"]["publishable"] is False


def _visible(locator: object, seconds: float = 5) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if locator.is_visible():  # type: ignore[attr-defined]
            return True
        time.sleep(0.25)
    return False


def _the_run(dagster: Dagster, timeout: float = 60) -> dict[str, str]:
    """The one run the click launched (queued for the daemon)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = dagster.graphql("{ runsOrError { ... on Runs { results { runId jobName tags { key value } } } } }")
        clicked = [r for r in runs["runsOrError"]["results"] if {"key": "pipeline/trigger", "value": "full refresh"}
                   not in r["tags"]]  # fmt: skip
        if clicked:
            (run,) = clicked
            return {"runId": run["runId"], "jobName": run["jobName"]}
        time.sleep(1)
    raise TimeoutError("no run was launched by the click")
