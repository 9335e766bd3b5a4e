"""Image renditions for the API: every image goes out in the same few widths, as WebP, with its alt text.

Keeping one list of specs lets list and detail views prefetch exactly the renditions they will serialise, so the
number of queries does not grow with the number of images.
"""

from wagtail.images import get_image_model

from cms.frontend import absolute_media_url

RENDITION_SPECS = {
    "small": "width-480|format-webp",
    "medium": "width-960|format-webp",
    "large": "width-1600|format-webp",
}


def images_with_renditions():
    """An image queryset that fetches the API renditions in one extra query."""
    return get_image_model().objects.prefetch_renditions(*RENDITION_SPECS.values())


def image_api_representation(image, alt=None):
    """``{id, title, alt, width, height, renditions: {small|medium|large: {url, width, height}}}``, or None."""
    if image is None:
        return None
    renditions = image.get_renditions(*RENDITION_SPECS.values())
    return {
        "id": image.pk,
        "title": image.title,
        "alt": alt if alt is not None else (image.default_alt_text or ""),
        "width": image.width,
        "height": image.height,
        "renditions": {
            name: {
                "url": absolute_media_url(renditions[spec].url),
                "width": renditions[spec].width,
                "height": renditions[spec].height,
            }
            for name, spec in RENDITION_SPECS.items()
        },
    }
