// Masks of the bytes that FaroModel's text formats treat specially, sixteen bytes at a time.
//
// Bit i of a mask is set when byte i of the sixteen at `block` is in the set. Defined for
// x86-64 (SSE2, part of the architecture's baseline); elsewhere FaroModel scans with SWAR words.

#ifndef CBYTEMASK_H
#define CBYTEMASK_H

#include <stdint.h>

#if defined(__x86_64__)
#include <emmintrin.h>

/// The bytes below `limit`, unsigned.
static inline __m128i cbytemask_below(__m128i bytes, uint8_t limit) {
    __m128i highest = _mm_set1_epi8((char)(limit - 1));
    return _mm_cmpeq_epi8(_mm_min_epu8(bytes, highest), bytes);
}

/// The bytes equal to `byte`.
static inline __m128i cbytemask_equal(__m128i bytes, uint8_t byte) {
    return _mm_cmpeq_epi8(bytes, _mm_set1_epi8((char)byte));
}

/// Controls, `"` and `\`: the bytes that every quoted string format escapes.
static inline __m128i cbytemask_quote_specials(__m128i bytes) {
    return _mm_or_si128(
        cbytemask_below(bytes, 0x20),
        _mm_or_si128(cbytemask_equal(bytes, 0x22), cbytemask_equal(bytes, 0x5C)));
}

/// Sixteen bytes held as two little-endian words, `low` first: the last bytes of a text,
/// gathered without reading past its end.
static inline __m128i cbytemask_words(uint64_t low, uint64_t high) {
    return _mm_set_epi64x((long long)high, (long long)low);
}

/// Inside go-logfmt's quotes: controls, `"`, `\`, DEL, and EF (which starts U+FFFD).
static inline uint32_t cbytemask_logfmt_quoted_bytes(__m128i bytes) {
    __m128i others = _mm_or_si128(cbytemask_equal(bytes, 0x7F), cbytemask_equal(bytes, 0xEF));
    return (uint32_t)_mm_movemask_epi8(_mm_or_si128(cbytemask_quote_specials(bytes), others));
}

/// Unquoted logfmt: space and below, `=`, `"`, DEL, and EF (which starts U+FFFD).
static inline uint32_t cbytemask_logfmt_special_bytes(__m128i bytes) {
    __m128i marked = _mm_or_si128(
        _mm_or_si128(cbytemask_below(bytes, 0x21), cbytemask_equal(bytes, 0x3D)),
        _mm_or_si128(
            cbytemask_equal(bytes, 0x22),
            _mm_or_si128(cbytemask_equal(bytes, 0x7F), cbytemask_equal(bytes, 0xEF))));
    return (uint32_t)_mm_movemask_epi8(marked);
}

/// Go's `encoding/json` strings: controls, `"`, `\`, `<`, `>`, `&`, and E2 (which starts U+2028 and U+2029).
/// `"` and `&` (22, 26) are the bytes that setting bit 2 makes 26, and `<` and `>` (3C, 3E) those
/// that setting bit 1 makes 3E: one compare for each pair.
static inline uint32_t cbytemask_json_bytes(__m128i bytes) {
    __m128i quoteOrAmpersand = cbytemask_equal(_mm_or_si128(bytes, _mm_set1_epi8(0x04)), 0x26);
    __m128i angles = cbytemask_equal(_mm_or_si128(bytes, _mm_set1_epi8(0x02)), 0x3E);
    __m128i others = _mm_or_si128(
        _mm_or_si128(cbytemask_below(bytes, 0x20), cbytemask_equal(bytes, 0x5C)), cbytemask_equal(bytes, 0xE2));
    return (uint32_t)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quoteOrAmpersand, angles), others));
}

// Each set, for the sixteen bytes at `block` and for sixteen bytes held in two words.

static inline uint32_t cbytemask_logfmt_quoted(const void *block) {
    return cbytemask_logfmt_quoted_bytes(_mm_loadu_si128((const __m128i *)block));
}

static inline uint32_t cbytemask_logfmt_quoted_words(uint64_t low, uint64_t high) {
    return cbytemask_logfmt_quoted_bytes(cbytemask_words(low, high));
}

static inline uint32_t cbytemask_logfmt_special(const void *block) {
    return cbytemask_logfmt_special_bytes(_mm_loadu_si128((const __m128i *)block));
}

static inline uint32_t cbytemask_logfmt_special_words(uint64_t low, uint64_t high) {
    return cbytemask_logfmt_special_bytes(cbytemask_words(low, high));
}

static inline uint32_t cbytemask_json(const void *block) {
    return cbytemask_json_bytes(_mm_loadu_si128((const __m128i *)block));
}

static inline uint32_t cbytemask_json_words(uint64_t low, uint64_t high) {
    return cbytemask_json_bytes(cbytemask_words(low, high));
}

/// JSON string content that is not plain ASCII: controls, `"`, `\`, and every byte from 0x80 on.
static inline uint32_t cbytemask_json_string_special(const void *block) {
    __m128i bytes = _mm_loadu_si128((const __m128i *)block);
    return (uint32_t)_mm_movemask_epi8(_mm_or_si128(cbytemask_quote_specials(bytes), bytes));
}

/// Copies the sixteen bytes at `block` to `destination` and returns the mask of those that
/// `cbytemask_json_string_special` marks: string content copied while it is checked.
static inline uint32_t cbytemask_copy_json_string_special(const void *block, void *destination) {
    __m128i bytes = _mm_loadu_si128((const __m128i *)block);
    _mm_storeu_si128((__m128i *)destination, bytes);
    return (uint32_t)_mm_movemask_epi8(_mm_or_si128(cbytemask_quote_specials(bytes), bytes));
}

/// Copies the sixteen bytes at `block` to `destination` and returns the mask of their
/// backslashes, and with `high` of their bytes from 0x80 on too: a run of string content copied
/// up to its next escape (or byte to check).
static inline uint32_t cbytemask_copy_json_escapes(const void *block, void *destination, _Bool high) {
    __m128i bytes = _mm_loadu_si128((const __m128i *)block);
    _mm_storeu_si128((__m128i *)destination, bytes);
    uint32_t mask = (uint32_t)_mm_movemask_epi8(cbytemask_equal(bytes, 0x5C));
    if (high) mask |= (uint32_t)_mm_movemask_epi8(bytes);
    return mask;
}

/// The bytes that are not JSON whitespace (space, tab, line feed, carriage return).
static inline uint32_t cbytemask_json_non_whitespace(const void *block) {
    __m128i bytes = _mm_loadu_si128((const __m128i *)block);
    __m128i whitespace = _mm_or_si128(
        _mm_or_si128(cbytemask_equal(bytes, 0x20), cbytemask_equal(bytes, 0x0A)),
        _mm_or_si128(cbytemask_equal(bytes, 0x0D), cbytemask_equal(bytes, 0x09)));
    return (uint32_t)_mm_movemask_epi8(whitespace) ^ 0xFFFFu;
}

#endif

#endif
