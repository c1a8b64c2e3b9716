// The preset DEFLATE dictionary of QR format v1 (docs/protocol.md §5.2): the window holds these bytes before the
// credential text starts, so the claim names and common values every credential repeats cost a short match instead
// of a string of literals. A health-code credential compresses to about 120 bytes instead of about 175, and the
// encoder's choice becomes a fixed-Huffman block (no code tables to send, none to build when decoding).
//
// Part of the format: changing one byte changes what every QR decodes to, so a new dictionary needs a new prefix.
// Pure ASCII. Ordered so that the common skeleton of a health code — in the order the issuing library writes the
// claims — sits at the end, where matches are closest; type-specific names and values come first.
const FRAGMENTS = [
  '"product":"', '","dose":', ',"method":"PCR', '","class":"',
  '","vct":"vaccination","st":"valid', '","vct":"test-result","st":"negative', '","vct":"e-licence',
  '","st":"yellow', '","st":"red', '","doc":"EEP-', '","doc":"BIR-"}',
  '{"iss":"', '","jti":"', '","iat":1', ',"nbf":1', ',"exp":1', ',"vct":"health-code","st":"green","sub":"',
  '","name":"', '","doc":"HRP-',
];

/** The dictionary as text (ASCII). */
export const QR_DICTIONARY_TEXT = FRAGMENTS.join('');

/** The dictionary bytes. Never modified (the decoder copies them into its window on every call). */
export const QR_DICTIONARY: Uint8Array = new TextEncoder().encode(QR_DICTIONARY_TEXT);
