"""Splitting a list of emails into provider requests."""


def split_batches(messages, size, shape=None):
    """Lists of indexes into `messages`, each at most `size` long, in which every address appears once and (with
    `shape`) every message has the same shape(message); order kept within each list.

    Both batch APIs key per-recipient data by address (Postmark's results and anymail's merge_* dicts, Mailgun's
    recipient-variables), so a second message to the same address waits for the next request."""
    batches = []  # [(shape, addresses, indexes)]
    open_batches = {}
    for index, message in enumerate(messages):
        key = shape(message) if shape else None
        address = message.to.strip().lower()
        candidates = open_batches.setdefault(key, [])
        target = next((batch for batch in candidates if address not in batch[0] and len(batch[1]) < size), None)
        if target is None:
            target = (set(), [])
            candidates.append(target)
            batches.append(target)
        target[0].add(address)
        target[1].append(index)
    return [indexes for _addresses, indexes in batches]
