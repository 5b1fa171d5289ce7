"""Payload checks of the image task: a field that is missing or of the wrong type is a ValueError naming it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Crop:
    left: int
    top: int
    width: int
    height: int


@dataclass(frozen=True)
class ImageTask:
    bucket: str
    input_key: str
    output_key: str
    crop: Crop
    size: int
    quality: int


def _string(o, name):
    value = o.get(name)
    if not isinstance(value, str) or not value:
        raise ValueError(f"payload.{name} must be a non-empty string")
    return value


def _int(o, name, minimum, default=None, maximum=None, where="payload"):
    value = o.get(name, default)
    # bool is an int in Python; a payload's true is not a size.
    if value is None or isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{where}.{name} must be an integer >= {minimum}, got {value!r}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{where}.{name} must be an integer <= {maximum}, got {value!r}")
    return value


def image_task(event):
    """The task an event describes (the Node handler's ImagePayload); raises ValueError on a bad payload."""
    if not isinstance(event, dict):
        raise ValueError(f"stateless-cost payload must be an object, got {type(event).__name__}")
    c = event.get("crop")
    if not isinstance(c, dict):
        raise ValueError("payload.crop must be { left, top, width, height }")
    crop = Crop(*(_int(c, name, minimum, where="payload.crop") for name, minimum in (("left", 0), ("top", 0), ("width", 1), ("height", 1))))
    return ImageTask(
        bucket=_string(event, "bucket"),
        input_key=_string(event, "inputKey"),
        output_key=_string(event, "outputKey"),
        crop=crop,
        size=_int(event, "size", 1, 300),
        quality=_int(event, "quality", 1, 85, 100),
    )
