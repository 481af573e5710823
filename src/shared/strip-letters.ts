/**
 * The letter of each status in a status strip, as stored (run_latest keeps strips as letters) and as shown
 * where it cannot be coloured (NO_COLOR, a pipe): success is a small letter so that the capital letters of
 * trouble stand out in a row of them. Any other status is UNKNOWN_LETTER.
 */
export const STRIP_LETTERS: Readonly<Record<string, string>> = {
  success: 's', failed: 'F', timeout: 'T', killed: 'K', error: 'E', lost: 'L', skipped: '-', running: 'R',
};

/** The letter of a status that is none of STRIP_LETTERS'. */
export const UNKNOWN_LETTER = '?';

/** Any character that is not a strip letter (stored text is only trusted as far as it is checked). */
export const NOT_A_LETTER = /[^sFTKELR?-]/g;
