"""The stateless-cost image pipeline (ServerlessBench) as a Python Lambda handler.

Same payload and result as benchmarks/stateless-cost/handler.ts: read a JPEG from S3, crop a square,
resize it to size x size (bilinear, as ProPack's original did), encode it as JPEG and write it to S3.
Needs Pillow and boto3 (a Lambda layer on AWS; the machine's python3 packages on the embedded platform).
"""

import io
import os

import boto3
from botocore.config import Config
from PIL import Image

from payload import image_task

# Made at module load (Lambda's init), before any request: threads share it (boto3 clients are
# thread-safe), and in processes mode each forked child inherits it unused, with no connection to share.
# boto3 1.26 ignores AWS_ENDPOINT_URL_S3, and the local S3 serves path-style addresses only.
_s3 = boto3.client(
    "s3",
    endpoint_url=os.environ.get("AWS_ENDPOINT_URL_S3") or None,
    config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 3}),
)


def handler(event, context):
    """Crops and resizes one photo; returns the thumbnail's {width, height, bytes}."""
    task = image_task(event)
    source = _s3.get_object(Bucket=task.bucket, Key=task.input_key)["Body"].read()
    with Image.open(io.BytesIO(source)) as img:
        c = task.crop
        if c.left + c.width > img.width or c.top + c.height > img.height:
            raise ValueError(f"crop {c.width}x{c.height}+{c.left}+{c.top} outside a {img.width}x{img.height} image")
        thumb = img.convert("RGB").crop((c.left, c.top, c.left + c.width, c.top + c.height))
    thumb = thumb.resize((task.size, task.size), Image.BILINEAR)
    out = io.BytesIO()
    thumb.save(out, format="JPEG", quality=task.quality)
    encoded = out.getvalue()
    _s3.put_object(Bucket=task.bucket, Key=task.output_key, Body=encoded, ContentType="image/jpeg")
    return {"width": task.size, "height": task.size, "bytes": len(encoded)}
