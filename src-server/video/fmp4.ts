// Turns a plain (progressive) single-track H.264 MP4 into HLS: an fMP4 init segment, media
// segments (moof + mdat) cut at key frames, and a VOD playlist. Only the boxes the demo clips
// need are read (ISO/IEC 14496-12: moov/trak/mdia/minf/stbl sample tables), so the server can
// serve HLS without ffmpeg.

interface Box {
  type: string;
  start: number;
  /** Where the payload begins (after size/type, and the large size when present). */
  body: number;
  end: number;
}

function boxes(buf: Uint8Array, start: number, end: number): Box[] {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: Box[] = [];
  let at = start;
  while (at + 8 <= end) {
    let size = dv.getUint32(at);
    const type = String.fromCharCode(buf[at + 4], buf[at + 5], buf[at + 6], buf[at + 7]);
    let body = at + 8;
    if (size === 1) {
      size = Number(dv.getBigUint64(at + 8));
      body = at + 16;
    } else if (size === 0) size = end - at;
    if (size < 8 || at + size > end) throw new Error(`mp4: box ${type} at ${at} overruns its parent`);
    out.push({ type, start: at, body, end: at + size });
    at += size;
  }
  return out;
}

function child(buf: Uint8Array, parent: Box, type: string): Box {
  const found = boxes(buf, parent.body, parent.end).find((b) => b.type === type);
  if (!found) throw new Error(`mp4: no ${type} in ${parent.type}`);
  return found;
}

export interface Sample {
  offset: number;
  size: number;
  duration: number;
  sync: boolean;
  /** Composition time offset (ctts), 0 without B-frames. */
  cto: number;
}

export interface Mp4Track {
  timescale: number;
  width: number;
  height: number;
  /** The stsd box as it is (avc1 + avcC): copied into the init segment. */
  stsd: Uint8Array;
  /** RFC 6381 codec string, e.g. avc1.42c01e. */
  codec: string;
  samples: Sample[];
}

/** Reads the first video track's sample table. */
export function readMp4(buf: Uint8Array): Mp4Track {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const top = boxes(buf, 0, buf.length);
  const moov = top.find((b) => b.type === 'moov');
  if (!moov) throw new Error('mp4: no moov');
  const trak = boxes(buf, moov.body, moov.end).find((b) => b.type === 'trak');
  if (!trak) throw new Error('mp4: no trak');
  const tkhd = child(buf, trak, 'tkhd');
  const tkv = buf[tkhd.body];
  const dims = tkhd.body + (tkv === 1 ? 88 : 76);
  const width = dv.getUint32(dims) >>> 16;
  const height = dv.getUint32(dims + 4) >>> 16;
  const mdia = child(buf, trak, 'mdia');
  const mdhd = child(buf, mdia, 'mdhd');
  const timescale = dv.getUint32(mdhd.body + (buf[mdhd.body] === 1 ? 20 : 12));
  const stbl = child(buf, child(buf, mdia, 'minf'), 'stbl');
  return { timescale, width, height, ...readStbl(buf, dv, stbl) };
}

function readStbl(
  buf: Uint8Array,
  dv: DataView,
  stbl: Box,
): Omit<Mp4Track, 'timescale' | 'width' | 'height'> {
  const list = boxes(buf, stbl.body, stbl.end);
  const get = (t: string) => list.find((b) => b.type === t);
  const stsd = get('stsd');
  const stts = get('stts');
  const stsz = get('stsz');
  const stsc = get('stsc');
  const stco = get('stco') ?? get('co64');
  if (!stsd || !stts || !stsz || !stsc || !stco) throw new Error('mp4: incomplete sample table');
  const u32 = (at: number) => dv.getUint32(at);

  const fixedSize = u32(stsz.body + 4);
  const count = u32(stsz.body + 8);
  const sizes: number[] = [];
  for (let i = 0; i < count; i++) sizes.push(fixedSize || u32(stsz.body + 12 + i * 4));

  const durations: number[] = [];
  for (let e = 0, n = u32(stts.body + 4); e < n; e++) {
    const c = u32(stts.body + 8 + e * 8);
    const d = u32(stts.body + 12 + e * 8);
    for (let k = 0; k < c; k++) durations.push(d);
  }

  const chunkOffsets: number[] = [];
  const co64 = stco.type === 'co64';
  for (let i = 0, n = u32(stco.body + 4); i < n; i++)
    chunkOffsets.push(co64 ? Number(dv.getBigUint64(stco.body + 8 + i * 8)) : u32(stco.body + 8 + i * 4));

  const offsets: number[] = [];
  const stscEntries = u32(stsc.body + 4);
  for (let e = 0; e < stscEntries; e++) {
    const first = u32(stsc.body + 8 + e * 12) - 1;
    const perChunk = u32(stsc.body + 12 + e * 12);
    const last = e + 1 < stscEntries ? u32(stsc.body + 8 + (e + 1) * 12) - 1 : chunkOffsets.length;
    for (let ch = first; ch < last; ch++) {
      let at = chunkOffsets[ch];
      for (let k = 0; k < perChunk && offsets.length < count; k++) {
        offsets.push(at);
        at += sizes[offsets.length - 1];
      }
    }
  }

  const stss = get('stss');
  const syncSet = stss ? new Set<number>() : null;
  if (stss) for (let i = 0, n = u32(stss.body + 4); i < n; i++) syncSet!.add(u32(stss.body + 8 + i * 4) - 1);

  const ctts = get('ctts');
  const ctos: number[] = [];
  if (ctts)
    for (let e = 0, n = u32(ctts.body + 4); e < n; e++) {
      const c = u32(ctts.body + 8 + e * 8);
      const o = dv.getInt32(ctts.body + 12 + e * 8);
      for (let k = 0; k < c; k++) ctos.push(o);
    }

  const samples: Sample[] = [];
  for (let i = 0; i < count; i++)
    samples.push({
      offset: offsets[i],
      size: sizes[i],
      duration: durations[i] ?? durations[durations.length - 1] ?? 1,
      // Without stss (minimp4 writes none) a sample is a key frame when it holds an IDR slice.
      sync: syncSet ? syncSet.has(i) : hasIdr(buf, dv, offsets[i], sizes[i]),
      cto: ctos[i] ?? 0,
    });

  const stsdBytes = buf.slice(stsd.start, stsd.end);
  return { stsd: stsdBytes, codec: codecOf(stsdBytes), samples };
}

/** Whether an AVCC sample (4-byte length-prefixed NAL units) holds an IDR slice (type 5). */
function hasIdr(buf: Uint8Array, dv: DataView, offset: number, size: number): boolean {
  for (let at = offset; at + 5 <= offset + size;) {
    const len = dv.getUint32(at);
    if ((buf[at + 4] & 0x1f) === 5) return true;
    at += 4 + len;
  }
  return false;
}

function codecOf(stsd: Uint8Array): string {
  // stsd: header(8) + version/flags(4) + count(4) + avc1 sample entry (78 bytes of fields) + avcC.
  for (let i = 16; i + 12 < stsd.length; i++) {
    if (stsd[i] === 0x61 && stsd[i + 1] === 0x76 && stsd[i + 2] === 0x63 && stsd[i + 3] === 0x43) {
      const hex = (n: number) => n.toString(16).padStart(2, '0');
      return `avc1.${hex(stsd[i + 5])}${hex(stsd[i + 6])}${hex(stsd[i + 7])}`;
    }
  }
  return 'avc1.42e01e';
}

// ---- writing boxes ----

function box(type: string, ...parts: Uint8Array[]): Uint8Array {
  const size = 8 + parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(size);
  new DataView(out.buffer).setUint32(0, size);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  let at = 8;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function u32s(...values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const dv = new DataView(out.buffer);
  values.forEach((v, i) => dv.setUint32(i * 4, v >>> 0));
  return out;
}

const fourcc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const zeros = (n: number) => new Uint8Array(n);
const MATRIX = u32s(0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000);

/** ftyp + moov with an empty sample table and mvex: the init segment of an fMP4 stream. */
export function initSegment(track: Mp4Track): Uint8Array {
  const ftyp = box('ftyp', fourcc('iso5'), u32s(512), fourcc('iso5'), fourcc('iso6'), fourcc('mp41'));
  const mvhd = box(
    'mvhd',
    u32s(0, 0, 0, track.timescale, 0),
    u32s(0x00010000),
    new Uint8Array([1, 0, 0, 0]),
    zeros(8),
    MATRIX,
    zeros(24),
    u32s(2),
  );
  const tkhd = box(
    'tkhd',
    u32s(0x00000003, 0, 0, 1, 0, 0),
    zeros(8),
    u32s(0, 0),
    MATRIX,
    u32s(track.width << 16, track.height << 16),
  );
  const mdhd = box('mdhd', u32s(0, 0, 0, track.timescale, 0), new Uint8Array([0x55, 0xc4, 0, 0]));
  const hdlr = box('hdlr', u32s(0, 0), fourcc('vide'), zeros(12), fourcc('Video\0'));
  const vmhd = box('vmhd', u32s(1), zeros(8));
  const dinf = box('dinf', box('dref', u32s(0, 1), box('url ', u32s(1))));
  const stbl = box(
    'stbl',
    track.stsd,
    box('stts', u32s(0, 0)),
    box('stsc', u32s(0, 0)),
    box('stsz', u32s(0, 0, 0)),
    box('stco', u32s(0, 0)),
  );
  const trak = box('trak', tkhd, box('mdia', mdhd, hdlr, box('minf', vmhd, dinf, stbl)));
  const mvex = box('mvex', box('trex', u32s(0, 1, 1, 0, 0, 0)));
  const moov = box('moov', mvhd, trak, mvex);
  const out = new Uint8Array(ftyp.length + moov.length);
  out.set(ftyp);
  out.set(moov, ftyp.length);
  return out;
}

export interface Segment {
  /** Seconds. */
  duration: number;
  bytes: Uint8Array;
}

/** Cuts the samples into moof+mdat segments starting at key frames, about `targetSeconds` each. */
export function mediaSegments(mp4: Uint8Array, track: Mp4Track, targetSeconds: number): Segment[] {
  const groups: Sample[][] = [];
  let current: Sample[] = [];
  let acc = 0;
  for (const s of track.samples) {
    if (s.sync && current.length > 0 && acc >= targetSeconds * track.timescale) {
      groups.push(current);
      current = [];
      acc = 0;
    }
    current.push(s);
    acc += s.duration;
  }
  if (current.length) groups.push(current);

  let decodeTime = 0;
  return groups.map((samples, seq) => {
    const mdatSize = samples.reduce((n, s) => n + s.size, 0);
    const trunEntries = new Uint8Array(samples.length * 16);
    const dv = new DataView(trunEntries.buffer);
    samples.forEach((s, i) => {
      dv.setUint32(i * 16, s.duration);
      dv.setUint32(i * 16 + 4, s.size);
      dv.setUint32(i * 16 + 8, s.sync ? 0x02000000 : 0x01010000);
      dv.setInt32(i * 16 + 12, s.cto);
    });
    const build = (dataOffset: number) =>
      box(
        'moof',
        box('mfhd', u32s(0, seq + 1)),
        box(
          'traf',
          box('tfhd', u32s(0x020000, 1)),
          box('tfdt', u32s(0x01000000, Math.floor(decodeTime / 2 ** 32), decodeTime >>> 0)),
          // version 1 (signed cto); flags: data-offset, duration, size, flags, cto.
          box('trun', u32s(0x01000f01, samples.length, dataOffset), trunEntries),
        ),
      );
    const moofSize = build(0).length;
    const moof = build(moofSize + 8);
    const out = new Uint8Array(moof.length + 8 + mdatSize);
    out.set(moof);
    const mdv = new DataView(out.buffer);
    mdv.setUint32(moof.length, 8 + mdatSize);
    out.set(fourcc('mdat'), moof.length + 4);
    let at = moof.length + 8;
    for (const s of samples) {
      out.set(mp4.subarray(s.offset, s.offset + s.size), at);
      at += s.size;
    }
    const duration = samples.reduce((n, s) => n + s.duration, 0);
    decodeTime += duration;
    return { duration: duration / track.timescale, bytes: out };
  });
}

/** A VOD media playlist over init.mp4 and seg-<n>.m4s. */
export function mediaPlaylist(segments: readonly Segment[]): string {
  const target = Math.max(1, Math.ceil(Math.max(...segments.map((s) => s.duration))));
  return [
    '#EXTM3U',
    '#EXT-X-VERSION:7',
    `#EXT-X-TARGETDURATION:${target}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-PLAYLIST-TYPE:VOD',
    '#EXT-X-INDEPENDENT-SEGMENTS',
    '#EXT-X-MAP:URI="init.mp4"',
    ...segments.flatMap((s, i) => [`#EXTINF:${s.duration.toFixed(3)},`, `seg-${i}.m4s`]),
    '#EXT-X-ENDLIST',
    '',
  ].join('\n');
}
