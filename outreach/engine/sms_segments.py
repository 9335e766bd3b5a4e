"""How many SMS segments a text costs: GSM-7 when every character fits, UCS-2 otherwise (3GPP TS 23.038)."""

_GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
    "abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = set("^{}\\[~]|€\f")


def encoding(text):
    return "GSM-7" if all(c in _GSM_BASIC or c in _GSM_EXTENDED for c in text) else "UCS-2"


def length_in_units(text):
    if encoding(text) == "GSM-7":
        return sum(2 if c in _GSM_EXTENDED else 1 for c in text)
    # UCS-2 counts UTF-16 code units: characters outside the BMP (emoji) take two.
    return len(text.encode("utf-16-le")) // 2


def segment_count(text):
    units = length_in_units(text)
    single, multi = (160, 153) if encoding(text) == "GSM-7" else (70, 67)
    if units <= single:
        return 1
    return -(-units // multi)
