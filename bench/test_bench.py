"""Tests of the corpus generator and the report writers: `python3 bench/test_bench.py`."""

from __future__ import annotations

import re
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate
from harness import chart, report

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


if __name__ == "__main__":
    unittest.main()
