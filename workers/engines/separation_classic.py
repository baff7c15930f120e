"""Classic single-channel separation by spectrogram masking: HPSS, REPET-SIM and clustered NMF (librosa)."""

from __future__ import annotations

from abc import abstractmethod

import numpy as np

from workers.engines._signal_common import require_audio
from workers.engines.base import Availability, ModelCard, ProgressFn, check_imports, no_progress
from workers.engines.capabilities import Separator, Stems

SAMPLE_RATE = 22050  # librosa's default rate: 2048-point frames are 93 ms, fine for music partials
N_FFT = 2048
HOP = 512
MIN_SECONDS = 1.0  # the median and similarity filters need a few dozen frames to mean anything

_LIBROSA = "librosa 0.11.0 (numpy, scipy, scikit-learn)"
_LIBROSA_LICENCE = "ISC (librosa) / BSD-3-Clause (NumPy, SciPy, scikit-learn)"


def _stft(audio: np.ndarray) -> np.ndarray:
    import librosa

    return librosa.stft(audio, n_fft=N_FFT, hop_length=HOP)


def _masked_stems(spec: np.ndarray, masks: dict[str, np.ndarray], length: int) -> dict[str, np.ndarray]:
    """Apply each (bins, frames) mask to the mixture STFT and return time-domain stems of `length` samples."""
    import librosa

    return {
        name: librosa.istft(spec * mask, hop_length=HOP, length=length).astype(np.float32)
        for name, mask in masks.items()
    }


def _complementary(first: np.ndarray, second: np.ndarray, names: tuple[str, str]) -> dict[str, np.ndarray]:
    """Wiener-style soft masks from two magnitude estimates: they sum to 1, so the stems sum to the mix."""
    power_first, power_second = first**2, second**2
    mask = power_first / (power_first + power_second + 1e-10)
    return {names[0]: mask, names[1]: 1.0 - mask}


class _MaskingSeparator(Separator):
    """Shared flow: validate, STFT, build masks (one method per technique), inverse STFT."""

    sample_rate = SAMPLE_RATE
    uses_torch = False

    @classmethod
    def availability(cls) -> Availability:
        return check_imports("librosa", "sklearn")

    def separate(self, audio: np.ndarray, *, progress: ProgressFn = no_progress) -> Stems:
        audio = require_audio(audio, self.sample_rate, min_seconds=MIN_SECONDS)
        progress(0.1, "computing the spectrogram")
        spec = _stft(audio)
        progress(0.3, "estimating masks")
        masks = self.masks(np.abs(spec))
        progress(0.8, "resynthesising the stems")
        return Stems(_masked_stems(spec, masks, len(audio)))

    @abstractmethod
    def masks(self, magnitude: np.ndarray) -> dict[str, np.ndarray]:
        """(bins, frames) magnitude → one soft mask per stem name."""


class HpssSeparator(_MaskingSeparator):
    backend = "hpss"
    card = ModelCard(
        engine="Harmonic–percussive separation (median filtering)",
        package=_LIBROSA,
        weights="none (classic method)",
        weights_bytes=None,
        licence=_LIBROSA_LICENCE,
        training_data="none",
        limits="Splits by shape only: horizontal ridges (sustained tones) vs vertical ones (clicks, drum hits); "
        "voices, vibrato and note onsets land partly in both stems.",
        classic=True,
        paper="https://arrow.tudublin.ie/cgi/viewcontent.cgi?article=1078&context=argcon",
    )

    def masks(self, magnitude: np.ndarray) -> dict[str, np.ndarray]:
        import librosa

        h_mask, p_mask = librosa.decompose.hpss(magnitude, mask=True)
        return {"harmonic": h_mask, "percussive": p_mask}


class RepetSeparator(_MaskingSeparator):
    backend = "repet-sim"
    card = ModelCard(
        engine="REPET-SIM (repeating background via nearest-neighbour median filtering)",
        package=_LIBROSA,
        weights="none (classic method)",
        weights_bytes=None,
        licence=_LIBROSA_LICENCE,
        training_data="none",
        limits="Assumes the accompaniment repeats (similar frames recur) while the voice does not; "
        "needs several seconds of music, and sustained vocal notes leak into the background.",
        classic=True,
        paper="https://librosa.org/doc/latest/auto_examples/plot_vocal_separation.html",
    )

    def masks(self, magnitude: np.ndarray) -> dict[str, np.ndarray]:
        import librosa

        frames = magnitude.shape[1]
        # compare only frames at least 2 s apart (so a held note does not match itself), fewer for short clips
        width = max(1, min(int(librosa.time_to_frames(2.0, sr=SAMPLE_RATE, hop_length=HOP)), frames // 4))
        repeating = librosa.decompose.nn_filter(magnitude, aggregate=np.median, metric="cosine", width=width)
        background = np.minimum(magnitude, repeating)
        return _complementary(magnitude - background, background, ("foreground", "background"))


class NmfSeparator(_MaskingSeparator):
    backend = "nmf"
    card = ModelCard(
        engine="NMF with timbre clustering (8 components → 2 sources)",
        package=_LIBROSA,
        weights="none (classic method)",
        weights_bytes=None,
        licence=_LIBROSA_LICENCE,
        training_data="none: the spectral templates are learned from each input",
        limits="Unsupervised: the two sources are whatever the timbre clustering finds (often bass vs treble "
        "or tonal vs noisy), not named instruments; results vary with the number of components.",
        classic=True,
        paper="https://www.nature.com/articles/44565",
    )

    n_components = 8

    def masks(self, magnitude: np.ndarray) -> dict[str, np.ndarray]:
        import librosa

        bases, activations = librosa.decompose.decompose(
            magnitude, n_components=self.n_components, init="nndsvda", max_iter=400, random_state=0
        )
        labels = _cluster_bases(bases)
        estimates = [bases[:, labels == c] @ activations[labels == c] for c in (0, 1)]
        return _complementary(estimates[0], estimates[1], ("source_1", "source_2"))


def _cluster_bases(bases: np.ndarray) -> np.ndarray:
    """Two clusters of NMF spectral templates by timbre (MFCCs of each template), ordered so that
    cluster 0 is the one with the lower spectral centroid."""
    import librosa
    from scipy.fft import dct
    from sklearn.cluster import KMeans

    mel = librosa.filters.mel(sr=SAMPLE_RATE, n_fft=N_FFT, n_mels=40) @ bases
    mfcc = dct(np.log(mel + 1e-8), axis=0, norm="ortho")[1:14].T
    labels = KMeans(n_clusters=2, n_init=10, random_state=0).fit_predict(mfcc)
    freqs = librosa.fft_frequencies(sr=SAMPLE_RATE, n_fft=N_FFT)
    centroid = (freqs @ bases) / (bases.sum(axis=0) + 1e-10)
    if len(set(labels)) == 2 and centroid[labels == 0].mean() > centroid[labels == 1].mean():
        labels = 1 - labels
    return labels
