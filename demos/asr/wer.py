"""Word error rate with its alignment: which reference words were substituted, deleted or inserted."""

from dataclasses import dataclass

OPS = {"equal": "ok", "substitute": "S", "delete": "D", "insert": "I"}
LINE_WIDTH = 78  # characters per line of the sclite-style alignment before it wraps


def _transform():
    import jiwer

    # Case, punctuation and hyphens carry no recognition errors of their own: "It's" = "its".
    return jiwer.Compose(
        [
            jiwer.ToLowerCase(),
            jiwer.SubstituteRegexes({r"[-–—/]": " "}),
            jiwer.RemovePunctuation(),
            jiwer.RemoveMultipleSpaces(),
            jiwer.Strip(),
            jiwer.ReduceToListOfListOfWords(),
        ]
    )


@dataclass(frozen=True)
class AlignedWord:
    op: str  # "ok", "S" (substitution), "D" (deletion), "I" (insertion)
    reference: str  # "" for an insertion
    hypothesis: str  # "" for a deletion


@dataclass(frozen=True)
class WerAlignment:
    hits: int
    substitutions: int
    deletions: int
    insertions: int
    words: tuple[AlignedWord, ...]

    @property
    def reference_length(self) -> int:
        return self.hits + self.substitutions + self.deletions

    @property
    def errors(self) -> int:
        return self.substitutions + self.deletions + self.insertions

    @property
    def wer(self) -> float:
        """(S + D + I) / N, N = reference words; above 1 when the recogniser adds many words."""
        return self.errors / self.reference_length

    def summary(self) -> str:
        return (
            f"WER {100 * self.wer:.1f}% = (S {self.substitutions} + D {self.deletions} + "
            f"I {self.insertions}) / N {self.reference_length} reference words; {self.hits} correct."
        )


def align(reference: str, hypothesis: str) -> WerAlignment:
    """Minimum-edit alignment of the two texts after normalisation (jiwer's process_words)."""
    import jiwer

    transform = _transform()
    if not transform(reference)[0]:
        raise ValueError("The reference text has no words to compare with.")
    out = jiwer.process_words(
        reference, hypothesis, reference_transform=transform, hypothesis_transform=transform
    )
    ref, hyp = out.references[0], out.hypotheses[0]
    words: list[AlignedWord] = []
    for chunk in out.alignments[0]:
        op = OPS[chunk.type]
        ref_words = ref[chunk.ref_start_idx : chunk.ref_end_idx]
        hyp_words = hyp[chunk.hyp_start_idx : chunk.hyp_end_idx]
        if op == "D":
            words.extend(AlignedWord(op, r, "") for r in ref_words)
        elif op == "I":
            words.extend(AlignedWord(op, "", h) for h in hyp_words)
        else:  # equal and substitute chunks pair words one to one
            words.extend(AlignedWord(op, r, h) for r, h in zip(ref_words, hyp_words, strict=True))
    return WerAlignment(out.hits, out.substitutions, out.deletions, out.insertions, tuple(words))


def alignment_text(alignment: WerAlignment, width: int = LINE_WIDTH) -> str:
    """sclite-style REF/HYP/EVAL lines: errors in capitals, '*' filling a missing word."""
    columns = []
    for w in alignment.words:
        ref = w.reference if w.op == "ok" else w.reference.upper()
        hyp = w.hypothesis if w.op == "ok" else w.hypothesis.upper()
        size = max(len(ref), len(hyp), 1)
        columns.append((ref or "*" * size, hyp or "*" * size, "" if w.op == "ok" else w.op, size))
    blocks, line, used = [], [], 0
    for column in columns:
        if line and used + column[3] + 1 > width - 6:  # 6: the "REF:  " prefix
            blocks.append(line)
            line, used = [], 0
        line.append(column)
        used += column[3] + 1
    if line:
        blocks.append(line)
    rendered = []
    for block in blocks:
        rows = [" ".join(c[i].ljust(c[3]) for c in block).rstrip() for i in range(3)]
        rendered.append(f"REF:  {rows[0]}\nHYP:  {rows[1]}\nEVAL: {rows[2]}".rstrip())
    return "\n\n".join(rendered)
