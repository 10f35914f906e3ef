'''Record framing and log-line patterns for a small packet capture tool.

Written for Ananke's warm-up: ordinary code in the single-quoted, raw and byte string styles many
modules use, with argument lists continued over several lines.
'''

import re
import struct
from dataclasses import dataclass, field
from typing import Iterator, Optional

MAGIC = b'\x89CAP\r\n\x1a\n'
TRAILER = b'\x00\x00\xff\xff'
HEADER = struct.Struct('<4sHHI')
SEPARATOR = '\t'
EMPTY = ''
QUOTE = '\''
BACKSLASH = '\\'
NEWLINE = u'\n'

LINE_PATTERN = re.compile(r'^(?P<time>\d{2}:\d{2}:\d{2})\s+(?P<level>[A-Z]+)\s+(?P<message>.*)$')
WORD_PATTERN = re.compile(r'[^\w\s]+')
HEX_PATTERN = re.compile(rb'[0-9a-fA-F]{2}')
ESCAPE_PATTERN = re.compile(br'\\x[0-9a-f]{2}')
PATH_PATTERN = re.compile(R'(?:[A-Za-z]:)?[\\/](?:[^\\/]+[\\/])*')
SPLIT_PATTERN = re.compile(Rb'\r?\n')

LEVELS = {
    'DEBUG': 10,
    'INFO': 20,
    'WARNING': 30,
    'ERROR': 40,
}

REPLACEMENTS = [
    ('\r\n', '\n'),
    ('\t', '    '),
    ('\x00', ''),
    ('\u2028', '\n'),
]


@dataclass
class Frame:
    kind: int
    flags: int
    payload: bytes = b''
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        '''One line about the frame, for logs.'''
        flags = ', '.join(name for bit, name in FLAG_NAMES if self.flags & bit) or 'none'
        return f'frame kind={self.kind:#04x} flags={flags} size={len(self.payload)}'

    def hexdump(self, width: int = 16) -> Iterator[str]:
        '''Yields the payload as lines of hex pairs and printable text.'''
        for start in range(0, len(self.payload), width):
            chunk = self.payload[start:start + width]
            pairs = ' '.join(f'{byte:02x}' for byte in chunk)
            text = ''.join(chr(byte) if 32 <= byte < 127 else '.' for byte in chunk)
            yield f'{start:08x}  {pairs:<{width * 3}}  |{text}|'


FLAG_NAMES = [
    (0x01, 'compressed'),
    (0x02, 'encrypted'),
    (0x04, 'fragment'),
    (0x08, 'last'),
]


def encode_frame(frame: Frame) -> bytes:
    '''Header, payload, trailer.'''
    header = HEADER.pack(b'FRM1',
                         frame.kind,
                         frame.flags,
                         len(frame.payload))
    return header + frame.payload + TRAILER


def decode_frames(data: bytes) -> Iterator[Frame]:
    if not data.startswith(MAGIC):
        raise ValueError('not a capture file: expected %r, got %r' % (MAGIC, data[:8]))
    offset = len(MAGIC)
    while offset < len(data):
        tag, kind, flags, size = HEADER.unpack_from(data, offset)
        if tag != b'FRM1':
            raise ValueError(f'bad frame tag {tag!r} at offset {offset}')
        offset += HEADER.size
        payload = data[offset:offset + size]
        offset += size
        if data[offset:offset + 4] != TRAILER:
            raise ValueError('missing trailer after frame at %d' % offset)
        offset += 4
        yield Frame(kind, flags, payload)


def parse_line(line: str) -> Optional[dict[str, str]]:
    m = LINE_PATTERN.match(line.rstrip('\n'))
    if m is None:
        return None
    fields = m.groupdict()
    fields['message'] = WORD_PATTERN.sub(' ', fields['message']).strip()
    return fields


def normalize(text: str) -> str:
    for old, new in REPLACEMENTS:
        text = text.replace(old, new)
    return text


def quote_field(value: str) -> str:
    '''Quotes a field for a tab-separated file the way spreadsheet tools read it.'''
    if any(ch in value for ch in ('\t', '\n', '"')):
        return '"' + value.replace('"', '""') + '"'
    return value


def render_table(rows: list[tuple[str, int, float]]) -> str:
    lines = [SEPARATOR.join(('name', 'count', 'ratio'))]
    for name, count, ratio in rows:
        lines.append(SEPARATOR.join((quote_field(name),
                                     str(count),
                                     f'{ratio:.3f}')))
    return '\n'.join(lines) + '\n'


def summary(frames: list[Frame],
            title: str = 'capture',
            *,
            verbose: bool = False) -> str:
    total = sum(len(f.payload) for f in frames)
    kinds = sorted({f.kind for f in frames})
    text = f'''{title}
  frames: {len(frames)}
  bytes:  {total}
  kinds:  {', '.join(hex(k) for k in kinds)}
'''
    if verbose:
        text += ''.join(f'  - {f.describe()}\n' for f in frames)
    return text


def escape_bytes(data: bytes) -> str:
    out = []
    for byte in data:
        if byte == 0x5c:
            out.append('\\\\')
        elif byte == 0x27:
            out.append("\\'")
        elif 32 <= byte < 127:
            out.append(chr(byte))
        else:
            out.append('\\x%02x' % byte)
    return "b'" + ''.join(out) + "'"


def read_config(text: str) -> dict[str, str]:
    config: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split('#', 1)[0].strip()
        if not line:
            continue
        if '=' not in line:
            raise ValueError(f'line {number}: expected key = value, got {raw!r}')
        key, _, value = line.partition('=')
        config[key.strip().lower()] = value.strip().strip('\'"')
    return config


if __name__ == '__main__':
    sample = [Frame(1, 0x01, b'hello'),
              Frame(2, 0x08, b'\x00\x01\x02world')]
    blob = MAGIC + b''.join(encode_frame(f) for f in sample)
    for frame in decode_frames(blob):
        print(frame.describe())
        for row in frame.hexdump():
            print('    ' + row)
    print(summary(sample, verbose=True))
    print(escape_bytes(b'it\'s \\ done\n'))
