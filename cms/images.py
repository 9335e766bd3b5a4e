"""Image renditions for the API: every image goes out in the same few widths, as WebP, with its alt text.

Keeping one list of specs lets list and detail views prefetch exactly the renditions they will serialise, so the
number of queries does not grow with the number of images.
"""

from wagtail.images import get_image_model
from wagtail.images.models import SourceImageIOError

from cms.frontend import absolute_media_url

RENDITION_SPECS = {
    "small": "width-480|format-webp",
    "medium": "width-960|format-webp",
    "large": "width-1600|format-webp",
}


# The image of link previews (og:image): the size they display, as JPEG, which every preview parser reads.
SOCIAL_IMAGE_SPEC = "fill-1200x630|format-jpeg"


def images_with_renditions():
    """An image queryset that fetches the API renditions (and the social one) in one extra query."""
    return get_image_model().objects.prefetch_renditions(*RENDITION_SPECS.values(), SOCIAL_IMAGE_SPEC)


def rendition_representation(rendition, alt):
    """A rendition as Wagtail's own ``ImageRenditionField`` gives it (``url``, ``full_url``, ``width``, ``height``,
    ``alt``), so clients written for stock Wagtail read ours; ``url`` is absolute too (front ends on another origin
    need it whole), so it equals ``full_url``."""
    url = absolute_media_url(rendition.url)
    return {"url": url, "full_url": url, "width": rendition.width, "height": rendition.height, "alt": alt}


def image_api_representation(image, alt=None):
    """``{id, title, alt, width, height, renditions: {small|medium|large: rendition}}``, or None.

    A source file that cannot be read (lost from storage) gives each rendition as ``{"error": "SourceImageIOError"}``,
    as Wagtail's ImageRenditionField does, rather than failing the whole response.
    """
    if image is None:
        return None
    alt = alt if alt is not None else (image.default_alt_text or "")
    try:
        renditions = image.get_renditions(*RENDITION_SPECS.values())
        by_name = {name: rendition_representation(renditions[spec], alt) for name, spec in RENDITION_SPECS.items()}
    except SourceImageIOError:
        by_name = dict.fromkeys(RENDITION_SPECS, {"error": "SourceImageIOError"})
    return {
        "id": image.pk,
        "title": image.title,
        "alt": alt,
        "width": image.width,
        "height": image.height,
        "renditions": by_name,
    }
