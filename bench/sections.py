"""The five measurements (a-e) of the bench, each adding its rows to the report."""

from __future__ import annotations

import sys

from bench import workloads as w
from bench.measure import Samples, interleaved, repeat, timed
from bench.report import Report, Target, ratio, ratio_at_most, under
from bench.store_setup import BenchStores

WHAT_IF_CACHE_KIB = 262_144
CIPHER_RATIO = 1.15  # encrypted at most this much slower than plain SQLite on the workload of (e)


def _say(text: str) -> None:
    print(f"  {text} ...", file=sys.stderr, flush=True)


def generation(report: Report, stores: BenchStores) -> None:
    """(a) One run each; minutes, so not repeated. From the cache's notes when the stores were reused."""
    meta, cached = stores.meta, " (cached run)" if stores.reused else ""
    enc, plain = meta["encrypted"], meta["plain"]
    stories = enc["counts"]["story_entries"]
    report.add("a", f"demo-data {meta['cases']:,} cases / {stories:,} story entries, encrypted{cached}",
               enc["seconds"], note=f"{enc['rows'] / enc['seconds']:,.0f} rows/s, "
                                    f"{stories / enc['seconds']:,.0f} story entries/s, "
                                    f"{enc['bytes'] / 1e6:,.0f} MB")
    report.add("a", f"demo-data, same seed, plain SQLite{cached}", plain["seconds"],
               note=f"encrypted/plain {ratio(enc['seconds'], plain['seconds'])}")


def unlock(report: Report, stores: BenchStores, times: int) -> float | None:
    """(b) Vault unlock (when the module exists) plus open, migration check and the first list query."""
    _say("unlock")
    opened = repeat("open", lambda: w.unlock_to_first_query(stores.path("encrypted"), stores.key), times=times)
    report.add("b", "open store + migration check + count + first 100 list rows", opened.median, opened.p95)
    vault = w.vault_unlock()
    if vault is None:
        report.add("b", "vault unlock", note="workbench.vault not present: not measured")
        return None
    fn, label = vault
    unlocked = repeat("vault", fn, times=max(3, times // 2))
    report.add("b", f"Vault.unlock ({label})", unlocked.median, unlocked.p95)
    total = unlocked.median + opened.median
    report.add("b", "unlock to first query (vault + open + first query)", total,
               note="the window's budget: 1.5 s to usable", target=under(1.5, total))
    return unlocked.median


def search(report: Report, stores: BenchStores) -> None:
    """(c) Every keystroke of 25 surnames and 25 story words, two characters on."""
    _say("search")
    store = stores.open("encrypted")
    try:
        groups = {"surnames": w.keystrokes(w.surnames(store)), "story words": w.keystrokes(list(w.STORY_WORDS))}
        for typed in groups["surnames"][:20]:  # warm the connection and the first pages
            w.search(store, typed)
        every = Samples("all")
        for name, strokes in groups.items():
            samples = Samples(name)
            hits = 0
            for typed in strokes:
                seconds, found = timed(lambda typed=typed: w.search(store, typed))
                samples.add(seconds)
                every.add(seconds)
                hits += found
            report.add("c", f"search per keystroke, {name} ({len(strokes)} keystrokes)", samples.median,
                       samples.p95, note=f"{hits / len(strokes):.0f} hits per keystroke on average")
        report.add("c", f"search per keystroke, all ({len(every.seconds)})", every.median, every.p95,
                   target=under(0.05, every.median))
    finally:
        store.close()


def case_list(report: Report, stores: BenchStores, times: int) -> None:
    """(d) All case-list rows through the service and through the raw cursor, taking turns."""
    _say("case list")
    store = stores.open("encrypted")
    try:
        raw = w.RawCaseList(store.engine)
        n = w.case_list(store)
        got = interleaved({"service": lambda: w.case_list(store), "raw": raw}, times=times)
        service, baseline = got["service"], got["raw"]
        report.add("d", f"case list, all {n:,} rows, service (case_list_rows)", service.median, service.p95,
                   note=f"service/raw {ratio(service.median, baseline.median)}",
                   target=under(0.3, service.median))
        report.add("d", "case list, same SQL on the raw sqlcipher3 cursor", baseline.median, baseline.p95)
        first = repeat("first", lambda: w.case_list(store, limit=100), times=times)
        report.add("d", "case list, first 100 rows (limit)", first.median, first.p95)
    finally:
        store.close()
    if stores.cache_kib:
        return  # the whole run already uses a what-if cache
    bigger = stores.open("encrypted", cache_kib=WHAT_IF_CACHE_KIB)
    try:
        what_if = repeat("cache", lambda: w.case_list(bigger), times=times)
        report.add("d", f"case list, all rows, what-if: PRAGMA cache_size = -{WHAT_IF_CACHE_KIB}",
                   what_if.median, what_if.p95, note=f"{WHAT_IF_CACHE_KIB // 1024} MiB page cache; not the app's")
    finally:
        bigger.close()


def cipher_cost(report: Report, stores: BenchStores, times: int) -> None:
    """(e) The same reads on the encrypted store and its plain twin, taking turns."""
    _say("encrypted vs plain")
    enc, plain = stores.open("encrypted"), stores.open("plain")
    try:
        words = w.surnames(enc, 10) + list(w.STORY_WORDS[:10])
        ids = w.case_ids(enc)
        items = {
            "case list, all rows": lambda s: w.case_list(s),
            f"{len(words)} searches (whole words)": lambda s: sum(w.search(s, t) for t in words),
            f"open {len(ids)} cases (story timeline)": lambda s: w.open_cases(s, ids),
            "count queries (rows per entity)": lambda s: w.counts(s),
        }
        totals = {"encrypted": 0.0, "plain": 0.0}
        for name, fn in items.items():
            got = interleaved({"encrypted": lambda fn=fn: fn(enc), "plain": lambda fn=fn: fn(plain)}, times=times)
            e, p = got["encrypted"].median, got["plain"].median
            totals["encrypted"] += e
            totals["plain"] += p
            report.add("e", f"{name}: encrypted", e, got["encrypted"].p95, note=f"encrypted/plain {ratio(e, p)}")
            report.add("e", f"{name}: plain", p, got["plain"].p95)
        report.add("e", "workload total: encrypted", totals["encrypted"],
                   note=f"encrypted/plain {ratio(totals['encrypted'], totals['plain'])}",
                   target=ratio_at_most(CIPHER_RATIO, totals["encrypted"], totals["plain"]))
        report.add("e", "workload total: plain", totals["plain"])
    finally:
        enc.close()
        plain.close()


def window(report: Report, stores: BenchStores, vault_median: float | None) -> None:
    """(f) The handler's window: unlock to usable window, filter keystroke, open a case, peak memory."""
    import json
    import statistics
    import subprocess
    import sys

    _say("window (fresh process)")
    out = subprocess.run([sys.executable, "-m", "bench.ui_window", str(stores.path("encrypted")), stores.key.hex()],
                         capture_output=True, text=True, timeout=1800, check=True)
    data = json.loads(out.stdout.strip().splitlines()[-1])
    usable = float(data["usable_s"])
    report.add("f", "open store to usable window (first case-list rows painted, DB thread)", usable)
    if vault_median is not None:
        report.add("f", "unlock to usable window (Vault.unlock + the above)", vault_median + usable,
                   target=under(1.5, vault_median + usable))
    report.add("f", f"open store to all {data['rows']:,} case-list rows loaded", float(data["all_rows_s"]),
               note="the list fills in behind the first rows")
    keys = sorted(data["keystrokes_s"])
    report.add("f", f"case-list filter keystroke to updated view ({len(keys)} keystrokes)",
               statistics.median(keys), keys[int(len(keys) * 0.95) - 1], target=under(0.05, statistics.median(keys)))
    opens = sorted(data["open_case_500_s"])
    report.add("f", "open a case with 500 story entries (to first paint)", statistics.median(opens), opens[-1],
               target=under(0.1, statistics.median(opens)))
    report.add("f", f"peak memory of the window process: {data['peak_rss_mib']:.0f} MiB")


def letters(report: Report) -> None:
    """(g) Letters: one decision letter rendered, and 1,000 in a batch over every core."""
    from bench import letters as bench_letters

    _say("letters")
    one = sorted(bench_letters.single())
    report.add("g", "render one beschikking (2 pages, embedded fonts)", one[len(one) // 2], one[-2],
               target=Target("<= 15 ms", one[len(one) // 2] <= 0.015))
    batch = bench_letters.batch()
    report.add("g", "render 1,000 beschikkingen in a batch (render_many: process per core, start included)",
               batch, note="on 2 cores", target=under(10, batch))


def caseload(report: Report, times: int) -> None:
    """(i) Team-lead figures over 50 handlers and 20,000 cases, and the caseload PDF (own store, cached)."""
    from bench import caseload_bench

    _say("caseload (team figures, report)")
    caseload_bench.run(report, keep=caseload_bench.DEFAULT_KEEP, times=times)


def sync(report: Report) -> None:
    """(h) Sync against a real central on loopback: first sync of 1,000 cases, a quiet sync, 50 devices at once
    (on SQLite, and on PostgreSQL too when WORKBENCH_TEST_PG_URL names one)."""
    from bench import sync_bench

    _say("sync (central on loopback)")
    sync_bench.run(report)
