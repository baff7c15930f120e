"""Diarization error rate and its parts, scored by pyannote.metrics.

DER = (missed speech + false alarm + speaker confusion) / total reference speech, after mapping
hypothesis speakers to reference speakers one-to-one so as to minimise confusion.
"""

from dataclasses import dataclass

from demos.diarization.rttm import SpeakerTurn


@dataclass(frozen=True)
class DerParts:
    total: float  # seconds of reference speech (overlapped speech counts once per speaker)
    missed: float  # reference speech with no hypothesis speaker
    false_alarm: float  # hypothesis speech where the reference has none
    confusion: float  # speech given to the wrong (mapped) speaker
    collar: float

    @property
    def der(self) -> float:
        return (self.missed + self.false_alarm + self.confusion) / self.total if self.total else 0.0

    def rate(self, part: str) -> float:
        return getattr(self, part) / self.total if self.total else 0.0

    def text(self) -> str:
        return (
            f"DER {self.der:.1%} of {self.total:.1f} s of reference speech (collar {self.collar:g} s): "
            f"missed speech {self.missed:.2f} s ({self.rate('missed'):.1%}), "
            f"false alarm {self.false_alarm:.2f} s ({self.rate('false_alarm'):.1%}), "
            f"speaker confusion {self.confusion:.2f} s ({self.rate('confusion'):.1%})."
        )


def _annotation(turns: list[SpeakerTurn], uri: str):
    from pyannote.core import Annotation, Segment

    annotation = Annotation(uri=uri)
    for i, turn in enumerate(turns):
        if turn.end > turn.start:
            annotation[Segment(turn.start, turn.end), i] = turn.speaker
    return annotation


def der_parts(
    reference: list[SpeakerTurn], hypothesis: list[SpeakerTurn], *, collar: float = 0.0
) -> DerParts:
    """`collar`: seconds around each reference boundary left unscored (the NIST convention is
    0.25 s either side, given here as the total width 0.5, as pyannote.metrics takes it)."""
    from pyannote.core import Segment, Timeline
    from pyannote.metrics.diarization import DiarizationErrorRate

    end = max((t.end for t in [*reference, *hypothesis]), default=0.0)
    uem = Timeline([Segment(0.0, end)], uri="audio")  # scored region: the whole clip
    metric = DiarizationErrorRate(collar=collar, skip_overlap=False)
    detail = metric(_annotation(reference, "audio"), _annotation(hypothesis, "audio"), uem=uem, detailed=True)
    return DerParts(
        total=float(detail["total"]),
        missed=float(detail["missed detection"]),
        false_alarm=float(detail["false alarm"]),
        confusion=float(detail["confusion"]),
        collar=collar,
    )
