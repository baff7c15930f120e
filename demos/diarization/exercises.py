"""Predict-then-run exercise of the diarization demo, measured on pyannote's two-speaker sample."""

from pathlib import Path

from demos.exercise import Exercise

CHOICES = ("Better (lower DER)", "Worse (higher DER)", "The same")
SAME_MARGIN = 0.005  # DERs closer than half a percentage point count as the same


def _der_for(count: int | None) -> float:
    from demos.diarization import SAMPLE_BACKEND, pyannote_sample
    from demos.diarization.der import der_parts
    from demos.diarization.rttm import SpeakerTurn, parse_rttm
    from workers.engines.runner import engine_infer

    wav, rttm = pyannote_sample()
    params = {"num_speakers": count} if count else {}
    # The variant that finds both women of this telephone sample; the default (d-vectors) finds one
    # there (its model card says so), which would make this a different lesson.
    data = engine_infer(
        "diarization", backend=SAMPLE_BACKEND, audio_paths={"audio": Path(wav)}, params=params
    ).output.data
    hypothesis = [SpeakerTurn(t["start"], t["end"], t["speaker"]) for t in data["turns"]]
    return der_parts(parse_rttm(Path(rttm).read_text()), hypothesis).der


def _forced_three_experiment() -> tuple[str, dict]:
    estimated, forced = _der_for(None), _der_for(3)
    if abs(forced - estimated) < SAME_MARGIN:
        answer = CHOICES[2]
    else:
        answer = CHOICES[0] if forced < estimated else CHOICES[1]
    return answer, {
        "DER, speaker count estimated": f"{estimated:.1%}",
        "DER, forced to 3 speakers": f"{forced:.1%}",
        "clip": "pyannote.audio's 30 s two-speaker sample, scored against its reference RTTM",
        "diarizer": "spectral-resemblyzer (separates this telephone sample's two voices)",
    }


EXERCISES = (
    Exercise(
        id="force-three-speakers",
        demo="diarization",
        topic="speaker-diarization",
        question=(
            "On a two-speaker conversation, you force the diarizer to find 3 speakers. "
            "Compared with letting it estimate the count, the DER will be…"
        ),
        choices=CHOICES,
        experiment=_forced_three_experiment,
        explanation=(
            "The reference has two speakers, and DER maps system speakers to reference speakers one to "
            "one: a third cluster has no partner, so every second given to it counts as speaker confusion. "
            "Forcing the count splits one real speaker (usually the one whose windows vary most) in two. "
            "Missed speech and false alarm do not change, since the voice activity detection is the same."
        ),
    ),
)
