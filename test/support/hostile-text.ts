/** Text an attacker puts in an event to act on whoever reads it, and how it must be shown instead. */

export const ESC = '\u001b';
export const BEL = '\u0007';
/** The one-character C1 Control Sequence Introducer. */
export const CSI = '\u009b';
/** Right-to-left override ("Trojan Source"). */
export const RLO = '\u202e';
/** Clear screen, ring, set the window title (OSC 0), a C1 CSI colour and a right-to-left override. */
export const HOSTILE = `${ESC}[2J${BEL}${ESC}]0;pwned${BEL} ${CSI}31m ${RLO}exe.txt`;
/** HOSTILE as inert text shows it. */
export const SHOWN = String.raw`\x1b[2J\x07\x1b]0;pwned\x07 \x9b31m \u202eexe.txt`;
