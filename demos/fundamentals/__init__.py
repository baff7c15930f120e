"""Audio fundamentals lab: spectrograms, sampling and aliasing, quantisation, filters.

Light DSP (librosa, scipy), so every tab runs in the web process; no job, no login needed.
"""

from demos.common import load_clip
from demos.samples import SCALE_C_MAJOR, SPEECH_EN
from workers.audio_io import AudioLimits

ANALYSIS_SR = 16000  # every clip is resampled to 16 kHz: Nyquist 8 kHz covers speech
LIMITS = AudioLimits(max_bytes=20_000_000, max_seconds=60.0)
SAMPLES = [[str(SPEECH_EN)], [str(SCALE_C_MAJOR)]]

CARD = """### What runs here
- **Engine:** librosa 0.11 and SciPy signal processing, in the web process (classic DSP, no weights)
- **Spectrograms:** `librosa.stft`, mel filterbank (Slaney), DCT-II MFCCs, chroma from the STFT
- **Pitch:** pYIN (probabilistic YIN with an HMM); **onsets:** spectral-flux onset strength with peak picking
- **Resampling:** polyphase FIR (`scipy.signal.resample_poly`) versus naive sample dropping
- **Filters:** Butterworth, second-order sections, applied forwards and backwards (zero phase)
- **Licence:** ISC (librosa), BSD-3 (SciPy); clips are resampled to 16 kHz, 60 s at most."""

HOW_IT_WORKS = """A microphone turns pressure into a voltage; a converter **samples** it (here 16,000 times a second)
and **quantises** each sample to a number. Everything a speech model sees starts there. The
**short-time Fourier transform** cuts the signal into overlapping windows and measures the energy
of each frequency in each window: a longer window resolves frequency more finely (`sr / n_fft` Hz
per bin) but smears time. The **mel** scale bunches the bins the way hearing does, and **MFCCs**
decorrelate the log-mel bands with a DCT."""

TOPICS = [
    ("stft-spectrograms", "The STFT and spectrograms"),
    ("mel-mfcc-chroma", "Mel, MFCC and chroma"),
    ("sampling-nyquist", "Sampling and Nyquist"),
    ("quantisation-bit-depth", "Quantisation and bit depth"),
    ("digital-filters", "Digital filters"),
]


def _load(path: str | None):
    return load_clip(path, sr=ANALYSIS_SR, limits=LIMITS)


def _guard(fn):
    """Turn a learner's out-of-range choice (ValueError) into a message instead of a crash."""
    import functools

    import gradio as gr

    @functools.wraps(fn)
    def wrapper(*args):
        try:
            return fn(*args)
        except gr.Error:
            raise  # already a message for the learner (gr.Error is itself a ValueError)
        except ValueError as exc:
            raise gr.Error(str(exc)) from exc

    return wrapper


def spectrogram_tab(path, n_fft, hop, n_mels):
    from demos.fundamentals.analysis import analyse, plot_analysis

    result = analyse(_load(path), ANALYSIS_SR, n_fft=int(n_fft), hop_length=int(hop), n_mels=int(n_mels))
    return plot_analysis(result), result.summary()


def sampling_tab(path, target_rate):
    from demos.fundamentals.plots import spectrogram_pair
    from demos.fundamentals.sampling import compare_sampling

    result = compare_sampling(_load(path), ANALYSIS_SR, int(target_rate))
    figure = spectrogram_pair(
        result.naive,
        result.filtered,
        ANALYSIS_SR,
        ("Without anti-aliasing filter", "With anti-aliasing filter"),
    )
    return (ANALYSIS_SR, result.naive), (ANALYSIS_SR, result.filtered), figure, result.summary()


def quantisation_tab(path, bits, dither):
    from demos.fundamentals.plots import quantisation_figure
    from demos.fundamentals.quantisation import quantise

    samples = _load(path)
    result = quantise(samples, int(bits), dither=bool(dither))
    figure = quantisation_figure(samples, result.quantised, result.error, ANALYSIS_SR, result.bits)
    return (ANALYSIS_SR, result.quantised), figure, result.summary()


def filter_tab(path, kind, low, high, order):
    from demos.fundamentals.filters import design_and_apply
    from demos.fundamentals.plots import filter_figure

    result = design_and_apply(_load(path), ANALYSIS_SR, kind, float(low), float(high), int(order))
    figure = filter_figure(
        result.frequencies_hz, result.response_db, result.cutoffs_hz, f"{kind} frequency response"
    )
    return (ANALYSIS_SR, result.filtered), figure, result.summary()


def _clip_input(gr, label="Clip (upload or record)"):
    audio = gr.Audio(sources=["upload", "microphone"], type="filepath", label=label)
    gr.Examples(SAMPLES, inputs=[audio], label="Samples")
    return audio


def build():
    import gradio as gr

    from demos.common import exercise_block, how_it_works_markdown
    from demos.fundamentals.exercises import EXERCISES
    from demos.fundamentals.filters import KINDS

    with gr.Blocks(title="Audio fundamentals lab") as demo:
        gr.Markdown(
            "## Audio fundamentals lab\nSee a clip the way models do, then break it on purpose: alias it, crush its bits, filter it."
        )
        with gr.Tab("Spectrograms"):
            with gr.Row():
                with gr.Column(scale=1):
                    audio = _clip_input(gr)
                    n_fft = gr.Slider(128, 4096, value=512, step=128, label="Window length n_fft (samples)")
                    hop = gr.Slider(32, 1024, value=160, step=16, label="Hop length (samples)")
                    n_mels = gr.Slider(16, 128, value=64, step=8, label="Mel bands")
                    go = gr.Button("Analyse", variant="primary")
                with gr.Column(scale=2):
                    summary = gr.Textbox(label="What the numbers say", lines=4, interactive=False)
                    plot = gr.Plot(label="Waveform, spectrogram with pitch, mel, MFCC and chroma")
            go.click(
                _guard(spectrogram_tab), [audio, n_fft, hop, n_mels], [plot, summary], api_name="analyse"
            )
        with gr.Tab("Sampling and aliasing"):
            with gr.Row():
                with gr.Column(scale=1):
                    s_audio = _clip_input(gr)
                    rate = gr.Slider(2000, 16000, value=4000, step=1000, label="New sample rate (Hz)")
                    s_go = gr.Button("Resample both ways", variant="primary")
                with gr.Column(scale=2):
                    s_summary = gr.Textbox(label="What happened", lines=3, interactive=False)
                    naive = gr.Audio(label="Without filter (aliased), played at 16 kHz", type="numpy")
                    filtered = gr.Audio(label="With anti-aliasing filter, played at 16 kHz", type="numpy")
                    s_plot = gr.Plot(label="Spectrograms of both versions")
            s_go.click(
                _guard(sampling_tab),
                [s_audio, rate],
                [naive, filtered, s_plot, s_summary],
                api_name="sampling",
            )
        with gr.Tab("Quantisation"):
            with gr.Row():
                with gr.Column(scale=1):
                    q_audio = _clip_input(gr)
                    bits = gr.Slider(1, 16, value=4, step=1, label="Bit depth")
                    dither = gr.Checkbox(label="Add TPDF dither (turns distortion into steady hiss)")
                    q_go = gr.Button("Quantise", variant="primary")
                with gr.Column(scale=2):
                    q_summary = gr.Textbox(label="Signal-to-noise ratio", lines=3, interactive=False)
                    quantised = gr.Audio(label="Quantised clip", type="numpy")
                    q_plot = gr.Plot(label="Waveform, quantised steps and error")
            q_go.click(
                _guard(quantisation_tab),
                [q_audio, bits, dither],
                [quantised, q_plot, q_summary],
                api_name="quantise",
            )
        with gr.Tab("Filters"):
            with gr.Row():
                with gr.Column(scale=1):
                    f_audio = _clip_input(gr)
                    kind = gr.Radio(list(KINDS), value="low-pass", label="Filter type")
                    low = gr.Slider(
                        50, 7900, value=300, step=50, label="Low cut-off (Hz; high-pass and band-pass)"
                    )
                    high = gr.Slider(
                        100, 7950, value=3400, step=50, label="High cut-off (Hz; low-pass and band-pass)"
                    )
                    order = gr.Slider(1, 10, value=4, step=1, label="Order (steepness)")
                    f_go = gr.Button("Filter", variant="primary")
                with gr.Column(scale=2):
                    f_summary = gr.Textbox(label="What the filter did", lines=3, interactive=False)
                    f_out = gr.Audio(label="Filtered clip", type="numpy")
                    f_plot = gr.Plot(label="Frequency response")
            f_go.click(
                _guard(filter_tab),
                [f_audio, kind, low, high, order],
                [f_out, f_plot, f_summary],
                api_name="filter",
            )
        with gr.Accordion("Predict, then run", open=True):
            for exercise in EXERCISES:
                exercise_block(exercise)
        with gr.Row():
            gr.Markdown(how_it_works_markdown(HOW_IT_WORKS, TOPICS))
            gr.Markdown(CARD)
    return demo
