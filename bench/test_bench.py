"""Tests of the corpus generator and the report writers: `python3 bench/test_bench.py`."""

from __future__ import annotations

import json
import re
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate
import run
from harness import chart, human, lsp, report, targets, tools

WORKLOAD_KINDS = {
    "Pod",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "Job",
    "CronJob",
    "ReplicationController",
    "PodTemplate",
    "List",
}


def corpus_files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


class GenerateTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.tmp = tempfile.TemporaryDirectory()
        cls.root = Path(cls.tmp.name) / "1000"
        cls.summary = generate.generate(1000, 1, cls.root)
        cls.files = corpus_files(cls.root)
        cls.text = "\n".join(data.decode() for data in cls.files.values())

    @classmethod
    def tearDownClass(cls) -> None:
        cls.tmp.cleanup()

    def test_same_seed_gives_identical_bytes(self) -> None:
        again = Path(self.tmp.name) / "again"
        generate.generate(1000, 1, again)
        self.assertEqual(corpus_files(again), self.files)

    def test_another_seed_gives_another_corpus(self) -> None:
        other = Path(self.tmp.name) / "other"
        generate.generate(1000, 2, other)
        self.assertNotEqual(corpus_files(other), self.files)

    def test_size_counts_documents_in_files_of_one_to_five(self) -> None:
        total = 0
        for data in self.files.values():
            docs = len(re.findall(r"^kind: ", data.decode(), re.MULTILINE))
            self.assertTrue(1 <= docs <= 5, docs)
            total += docs
        self.assertEqual(total, 1000)
        self.assertEqual(self.summary.documents, 1000)
        self.assertEqual(self.summary.files, len(self.files))

    def test_documents_are_about_three_kilobytes(self) -> None:
        self.assertTrue(2500 < self.summary.bytes / self.summary.documents < 4000)

    def test_every_kind_and_the_skipped_ones_are_present(self) -> None:
        kinds = set(re.findall(r"^\s*(?:- )?kind: (\w+)", self.text, re.MULTILINE))
        self.assertLessEqual(WORKLOAD_KINDS | {"Service", "ConfigMap"}, kinds)

    def test_mistakes_and_modern_features_are_present(self) -> None:
        for needle in (
            "imagePullPolcy",
            ":latest",
            "restartPolicy: Always",
            "initContainers:",
            "# ",
            "livenessProbe:",
            "volumeMounts:",
            "securityContext:",
            "privileged: true",
        ):
            self.assertIn(needle, self.text)

    def test_is_current_reuses_only_a_matching_stamp(self) -> None:
        out = Path(self.tmp.name) / "stamped"
        generate.ensure(200, 1, out)
        self.assertTrue(generate.is_current(200, 1, out))
        self.assertFalse(generate.is_current(200, 2, out))


class CorpusReuseTest(unittest.TestCase):
    def setUp(self) -> None:
        self.tmp = tempfile.TemporaryDirectory()
        self.root = Path(self.tmp.name)

    def tearDown(self) -> None:
        self.tmp.cleanup()

    def stamp(self, path: Path, size: int, digest: str) -> None:
        summary = generate.Summary(size, 1, 3, size, 1234, digest)
        path.write_text(json.dumps(summary.__dict__))

    def test_ensure_leaves_no_staging_directory_behind(self) -> None:
        out = self.root / "40"
        summary = generate.ensure(40, 1, out)
        self.assertEqual(sorted(p.name for p in self.root.iterdir()), ["40", "40.json"])
        self.assertEqual(summary.files, sum(1 for p in out.rglob("*") if p.is_file()))
        self.assertTrue(generate.is_current(40, 1, out))

    def test_a_directory_without_a_stamp_may_be_half_written_and_is_not_reused(self) -> None:
        out = self.root / "40"
        (out / "apps").mkdir(parents=True)
        (out / "apps" / "half.yaml").write_text("kind: Pod\n")
        self.assertFalse(generate.is_current(40, 1, out))
        generate.ensure(40, 1, out)
        self.assertFalse((out / "apps" / "half.yaml").exists())

    def test_a_corpus_renamed_from_its_staging_name_keeps_its_stamp(self) -> None:
        # generate.py --size 40 --out DIR/40.tmp && mv DIR/40.tmp DIR/40
        out = self.root / "40"
        out.mkdir()
        self.stamp(self.root / "40.tmp.json", 40, generate.generator_digest())
        self.assertTrue(generate.is_current(40, 1, out))
        self.assertEqual(generate.read_stamp(40, 1, out).files, 3)
        self.assertFalse(generate.is_current(41, 1, out))

    def test_a_stamp_from_a_generator_with_the_same_output_is_accepted(self) -> None:
        out = self.root / "40"
        out.mkdir()
        (legacy,) = sorted(generate.SAME_OUTPUT_AS)[:1]
        self.stamp(self.root / "40.json", 40, legacy)
        self.assertTrue(generate.is_current(40, 1, out))
        self.stamp(self.root / "40.json", 40, "0" * 64)
        self.assertFalse(generate.is_current(40, 1, out))

    def test_staging_directories_of_dead_processes_are_removed(self) -> None:
        out = self.root / "40"
        dead = self.root / "40.tmp-999999999"
        mine = generate.own_staging_dir(out)
        dead.mkdir()
        mine.mkdir()
        generate.remove_abandoned(out)
        self.assertFalse(dead.exists())
        self.assertTrue(mine.exists())

    def test_the_runner_skips_a_corpus_another_process_is_writing(self) -> None:
        (self.root / "40.tmp").mkdir()
        args = run.parse_args(["--sizes", "40", "--corpus-dir", str(self.root)])
        notes: list[str] = []
        self.assertEqual(run.corpus_targets(args, notes), [])
        self.assertIn("still being generated", notes[0])
        self.assertFalse((self.root / "40").exists())


class ArgumentsTest(unittest.TestCase):
    def test_sizes_take_thousands_and_millions(self) -> None:
        self.assertEqual([run.parse_size(t) for t in ("1000", "10_000", "10k", "212k", "1M", "1.5k")],
                         [1000, 10_000, 10_000, 212_000, 1_000_000, 1500])
        for bad in ("k", "0", "1.5", "ten"):
            with self.assertRaises(ValueError):
                run.parse_size(bad)

    def test_default_sizes_reach_a_million_documents_and_100000_files(self) -> None:
        args = run.parse_args([])
        self.assertEqual(args.sizes, [1000, 10_000, 100_000, 212_000, 1_000_000])
        self.assertEqual(args.only, set(run.PARTS))

    def test_subsets(self) -> None:
        args = run.parse_args(["--only", "podlint,peers", "--peers", "yamllint", "--skip-lsp"])
        self.assertEqual(args.only, {"podlint", "peers"})
        self.assertEqual(args.peers, {"yamllint"})
        self.assertEqual(run.parse_args(["--only", "podlint"]).peers, set())
        self.assertEqual(run.parse_args(["--peers", "none"]).peers, set())
        self.assertNotIn("human", run.parse_args(["--skip-human"]).only)


class ToolsTest(unittest.TestCase):
    def test_podlint_rows_are_the_issues_measures(self) -> None:
        rows = {tool.key: tool.argv(Path("/c")) for tool in tools.podlint(Path("/bin/podlint"), 2)}
        self.assertEqual(rows[tools.JSON_1T], ["/bin/podlint", "check", "--format", "json", "--threads", "1", "/c"])
        self.assertEqual(rows[tools.JSON_2T][-3:], ["--threads", "2", "/c"])
        self.assertIn("--select api-rejects", " ".join(rows[tools.API_REJECTS_1T]))
        self.assertEqual(rows[tools.CONCISE], ["/bin/podlint", "check", "--format", "concise", "/c"])
        floors = [tool.key for tool in tools.floors(Path("/bin/floor"))]
        self.assertEqual(floors, ["cat", "parse-floor-1t", "parse-floor-2t"])

    def test_the_human_file_holds_the_pods_asked_for(self) -> None:
        text = human.manifest(3000)
        self.assertEqual(text.count("kind: Pod\n"), 3000)
        self.assertEqual(text.count("\n---\n"), 2999)
        self.assertEqual(text, human.manifest(3000))


class LanguageServerTest(unittest.TestCase):
    def test_the_last_json_object_printed_is_taken(self) -> None:
        out = 'podlint lsp  lines=2000 ...\n{"change_p95_ms": 12.5, "peak_rss_mb": 80}\n'
        self.assertEqual(lsp.parse_output(out), {"change_p95_ms": 12.5, "peak_rss_mb": 80})
        pretty = "a line of text\n" + json.dumps({"open_ms": 3.0, "nested": {"a": 1}}, indent=2)
        self.assertEqual(lsp.parse_output(pretty), {"open_ms": 3.0, "nested": {"a": 1}})
        self.assertIsNone(lsp.parse_output("usage: lsp_latency.py [-h]\n"))
        self.assertIsNone(lsp.parse_output("[1, 2]"))

    def test_peak_memory_in_either_unit(self) -> None:
        self.assertEqual(lsp.peak_rss_mb({"peak_rss_mb": 312.4}), 312.4)
        self.assertEqual(lsp.peak_rss_mb({"peak_rss_kib": 2048}), 2.0)
        self.assertIsNone(lsp.peak_rss_mb({"open_ms": 1}))

    def test_a_script_without_json_is_not_measured(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            script = Path(tmp) / "lsp_latency.py"
            script.write_text("import sys\nsys.exit('unrecognized arguments: --json')\n")
            figures = lsp.measure(script, Path("/bin/true"), timeout_s=60)
        self.assertIsNone(figures["latency"])
        self.assertIsNone(figures["large_peak_rss_mb"])


def fake_row(key: str, size: int, wall: float, cpu: float, peak: float, group: str = tools.PODLINT) -> dict:
    return {
        "key": key, "label": key, "group": group, "size": size, "threads": 1, "status": "ok",
        "wall_s": wall, "cpu_s": cpu, "peak_mb": peak, "files_per_s": 1.0, "mb_per_s": 1.0,
        "output_lines": 7,
    }


def fake_result() -> dict:
    """Two sizes: 10,000 documents (4,700 files) and 212,000 (100,200 files), all rows measured."""
    rows = []
    for size, scale in ((10_000, 1), (212_000, 21)):
        rows += [
            fake_row(tools.JSON_1T, size, 2.0 * scale, 1.9 * scale, 40 + scale),
            fake_row(tools.JSON_2T, size, 1.0 * scale, 2.0 * scale, 50 + scale),
            fake_row(tools.API_REJECTS_1T, size, 1.4 * scale, 1.3 * scale, 30),
            fake_row(targets.FLOOR_1T, size, 1.0 * scale, 1.0 * scale, 5, tools.FLOOR),
            fake_row(targets.FLOOR_2T, size, 0.5 * scale, 1.0 * scale, 5, tools.FLOOR),
        ]
    human_rows = {
        "human": fake_row("podlint-human", 3000, 0.5, 0.4, 37),
        "concise": fake_row("podlint-concise", 3000, 0.2, 0.2, 30),
    }
    return {
        "date": "2026-12-06 13:00 UTC",
        "git": "abc1234",
        "duration_s": 600,
        "machine": {"nproc": 2, "cpu": "AMD EPYC", "memory_gib": 23.5, "os": "Linux", "kernel": "6",
                    "load_average_at_start": [0.5, 0.4, 0.3], "load_average_at_end": [1.0, 0.8, 0.4]},
        "versions": {"podlint": "0.1.0"},
        "corpora": [
            {"documents": 10_000, "files": 4_700, "bytes": 32_000_000, "seed": 1},
            {"documents": 212_000, "files": 100_200, "bytes": 690_000_000, "seed": 1},
        ],
        "results": rows,
        "human": {"pods": 3000, "bytes": 500_000, **human_rows},
        "lsp": {"latency": {"lines": 2000, "diagnostics": 1000, "change_median_ms": 9.0, "change_p95_ms": 25.0,
                            "peak_rss_mib": 36.9},
                "large": {"peak_rss_mb": 310}, "large_pods": 5000, "large_peak_rss_mb": 310.0},
        "notes": ["a note"],
    }


class TargetsTest(unittest.TestCase):
    def test_each_target_states_value_goal_and_verdict(self) -> None:
        found = targets.all_targets(fake_result())

        def one(needle: str) -> targets.Target:
            (target,) = [t for t in found if needle in t.name]
            return target

        cpu = one("vs parse floor")
        self.assertEqual((cpu.measured, cpu.met), ("1.90× (api-rejects only: 1.30×)", True))
        self.assertIn("10,000 documents, 4,700 files", cpu.name)
        memory = one("100,000 files")
        self.assertEqual((memory.measured, memory.met), ("71 MB", True))
        self.assertIn("212,000 documents, 100,200 files", memory.name)
        million = one("1,000,000 documents")
        self.assertEqual((million.measured, million.met, million.mark), ("not measured", None, "–"))
        self.assertEqual(one("Human report").met, True)
        p95 = one("p95")
        self.assertEqual((p95.measured, p95.met, p95.mark), ("25.0 ms", False, "✗"))
        large = one("5,000-Pod")
        self.assertEqual((large.measured, large.met), ("310 MB", True))
        threads = one("2 threads vs 1")
        self.assertEqual((threads.measured, threads.met), ("2.00×", True))
        self.assertEqual(len(found), 7)

    def test_without_a_100000_file_corpus_the_largest_stands_in_for_threads(self) -> None:
        result = fake_result()
        result["corpora"] = result["corpora"][:1]
        by_name = {t.name: t for t in targets.all_targets(result)}
        memory = [t for name, t in by_name.items() if "100,000 files" in name][0]
        self.assertIsNone(memory.met)
        threads = [t for name, t in by_name.items() if name.startswith("2 threads")][0]
        self.assertIn("no 100,000-file corpus", threads.name)
        self.assertEqual(threads.measured, "2.00×")

    def test_ratios_by_size(self) -> None:
        small, large = targets.by_size(fake_result())
        self.assertAlmostEqual(small.cpu_vs_floor, 1.9)
        self.assertAlmostEqual(small.podlint_speedup, 2.0)
        self.assertAlmostEqual(small.floor_speedup, 2.0)
        self.assertEqual(small.peak_mb, 51)
        self.assertAlmostEqual(large.cpu_us_per_document, 1.9 * 21 / 212_000 * 1e6)

    def test_failed_rows_count_as_not_measured(self) -> None:
        result = fake_result()
        for row in result["results"]:
            if row["key"] == targets.FLOOR_1T:
                row["status"] = "failed (exit 2)"
        self.assertIsNone(targets.cpu_vs_floor(result).met)


class ReportTest(unittest.TestCase):
    def test_markdown_has_targets_ratios_human_and_server(self) -> None:
        text = report.markdown(fake_result())
        self.assertIn("load average 0.5 / 0.4 / 0.3 at start, 1.0 / 0.8 / 0.4 at the end", text)
        self.assertIn("- ✓ CPU, 1 thread", text)
        self.assertIn("- ✗ Language server, edit → diagnostics p95 (2000 lines, 1000 findings): 25.0 ms (target ≤ 20 ms)", text)
        self.assertIn("- – Peak memory, `check --format json`, 1,000,000 documents: not measured", text)
        self.assertIn("| 212,000 | 100,200 | 1.90× | 1.30× | 2.00× | 2.00× | 71 |", text)
        self.assertIn("CPU time per document varies 1.00× across sizes (linear", text)
        self.assertIn("Peak memory varies 1.39× across sizes (flat)", text)
        self.assertIn("| podlint-human | 0.500 | 0.400 | 37 | 7 |", text)
        self.assertIn("- A document of 5,000 Pods: peak 310 MB.", text)
        self.assertIn("edit → diagnostics median 9.0 ms, p95 25.0 ms, peak 37 MB.", text)
        self.assertIn("The run took 10 min.", text)

    def test_a_busy_machine_is_flagged_before_the_numbers(self) -> None:
        self.assertNotIn("busy", report.markdown(fake_result()))
        result = fake_result()
        result["machine"]["load_average_at_end"] = [9.5, 6.0, 3.0]
        self.assertIn("**The machine was busy** (1-minute load up to 9.5 on 2 cores)", report.markdown(result))

    def test_a_run_without_the_server_or_podlint_says_so(self) -> None:
        result = fake_result()
        result["lsp"] = {"latency": None, "large": None, "large_pods": 5000, "large_peak_rss_mb": None}
        result["results"] = [r for r in result["results"] if r["group"] != tools.PODLINT]
        text = report.markdown(result)
        self.assertIn("- Edit latency: not measured.", text)
        self.assertIn("podlint was not measured", text)

class EmitterTest(unittest.TestCase):
    def test_strings_that_would_change_type_are_quoted(self) -> None:
        for text in ("8080", "true", "no", "1.5", "", "*/5 * * * *", "a: b", "x #y", "null"):
            self.assertTrue(generate.scalar(text).startswith('"'), text)
        for text in ("nginx:1.27", "500m", "/healthz", "app.kubernetes.io/name"):
            self.assertEqual(generate.scalar(text), text)

    def test_both_sequence_styles(self) -> None:
        node = {"spec": {"containers": [{"name": "web", "ports": [{"containerPort": 80}]}]}}
        flush = generate.Emitter(indent_sequences=False).document(node)
        indented = generate.Emitter(indent_sequences=True).document(node)
        self.assertEqual(flush, "spec:\n  containers:\n  - name: web\n    ports:\n    - containerPort: 80\n")
        self.assertEqual(
            indented, "spec:\n  containers:\n    - name: web\n      ports:\n        - containerPort: 80\n"
        )


class ReportTest(unittest.TestCase):
    def test_readme_block_is_replaced_between_markers_only(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            readme = Path(tmp) / "README.md"
            readme.write_text(f"# podlint\n\nintro\n{report.START}\nold\n{report.END}\n\nrest\n")
            self.assertTrue(report.update_readme(readme, "| new |\n"))
            self.assertEqual(
                readme.read_text(), f"# podlint\n\nintro\n{report.START}\n| new |\n{report.END}\n\nrest\n"
            )

    def test_readme_without_markers_is_left_alone(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            readme = Path(tmp) / "README.md"
            readme.write_text("# podlint\n")
            self.assertFalse(report.update_readme(readme, "| new |\n"))
            self.assertEqual(readme.read_text(), "# podlint\n")

    def test_chart_highlights_podlint_and_keeps_tiny_bars_visible(self) -> None:
        svg = chart.bars([("podlint", 0.05, True), ("checkov", 180.0, False)], "title", "footer")
        self.assertEqual(svg.count('class="hl"'), 1)
        widths = [float(w) for w in re.findall(r'<rect class="\w+" x="\d+" y="\d+" width="([\d.]+)"', svg)]
        self.assertEqual(len(widths), 2)
        self.assertGreaterEqual(min(widths), 2.0)
        self.assertIn("3m00s", svg)  # the bar
        self.assertIn(">1m<", svg)  # a tick

    def test_panels_draw_wall_and_cpu_side_by_side_and_memory_in_megabytes(self) -> None:
        times = chart.Panel("t", ("wall", "CPU"), [("podlint json, api-rejects only (1 thread)", (1.0, 2.0), True)], "s")
        memory = chart.Panel("m", ("peak",), [("1,000 docs", (30.0,), True), ("1,000,000 docs", (1500.0,), True)], "MB")
        svg = chart.panels("title", [times, memory], "footer")
        self.assertEqual(len(re.findall(r'<rect class="s[01]" x="[\d.]+" y="[\d.]+" width', svg)), 4)  # 2 bars + legend
        self.assertIn(">1.5 GB<", svg)
        self.assertIn(">500 MB<", svg)  # a tick
        label_x = float(re.search(r'<text x="([\d.]+)"[^>]*text-anchor="end"', svg).group(1))
        self.assertGreater(label_x, 7 * len("podlint json, api-rejects only (1 thread)"))


if __name__ == "__main__":
    unittest.main()
