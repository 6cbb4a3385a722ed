"""The lab's Python: predict.py's parts, which need numpy alone (soundfile to decode audio): the
limits of schemas/limits.json and the settings checks (limits), the model files read without
trusting them (model_reading), the layers in numpy (layers), audio decoding and resampling
(audio) and the features (mel_features); and train.py's, which need PyTorch: the feature files
(npz, features), the checks a run passes before it trains (checks), the model files it writes
(model_files), the models (models) and its random streams (seeds). Each rule is written once:
train.py's modules take the limits and the model checks from predict.py's. A model zip carries
predict.py alone, with its modules written into it by `npm run build:python`."""


class TrainError(Exception):
    """A run train.py refuses: its command line prints the reason in one line, never a traceback."""
