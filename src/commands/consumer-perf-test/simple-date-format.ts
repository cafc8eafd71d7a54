// java.text.SimpleDateFormat's formatting side, for consumer-perf-test's --date-format (default
// `yyyy-MM-dd HH:mm:ss:SSS`): pattern letters repeat to set the width or the text form, text in
// single quotes is literal (`''` is a quote), other non-letters print as they are, and an
// unknown letter is refused as Java refuses it. Times are in the local time zone, as Java's are.

/** IllegalArgumentException from the SimpleDateFormat constructor. */
export class DatePatternError extends Error {
  readonly javaClass = 'java.lang.IllegalArgumentException';
}

type Part = { literal: string } | { letter: string; count: number };

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const KNOWN = 'GyYMLwWDdFEuaHkKhmsSzZX';

export function compilePattern(pattern: string): Part[] {
  const parts: Part[] = [];
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i]!;
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        parts.push({ literal: "'" });
        i += 2;
        continue;
      }
      let text = '';
      i++;
      for (;;) {
        if (i >= pattern.length) throw new DatePatternError('Unterminated quote');
        if (pattern[i] === "'") {
          if (pattern[i + 1] === "'") {
            text += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += pattern[i++];
      }
      parts.push({ literal: text });
      continue;
    }
    if (/[a-zA-Z]/.test(c)) {
      if (!KNOWN.includes(c)) throw new DatePatternError(`Illegal pattern character '${c}'`);
      let count = 1;
      while (pattern[i + count] === c) count++;
      parts.push({ letter: c, count });
      i += count;
      continue;
    }
    parts.push({ literal: c });
    i++;
  }
  return parts;
}

const num = (n: number, width: number): string => String(n).padStart(width, '0');

function offset(d: Date, colon: boolean, isoZ: boolean, hoursOnly = false): string {
  const minutes = -d.getTimezoneOffset();
  if (isoZ && minutes === 0) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const hh = num(Math.floor(abs / 60), 2);
  if (hoursOnly) return `${sign}${hh}`;
  return `${sign}${hh}${colon ? ':' : ''}${num(abs % 60, 2)}`;
}

function field(d: Date, letter: string, count: number): string {
  switch (letter) {
    case 'G': return d.getFullYear() > 0 ? 'AD' : 'BC';
    case 'y':
    case 'Y':
    case 'u': {
      if (letter === 'u') return num(d.getDay() === 0 ? 7 : d.getDay(), count);
      const y = d.getFullYear();
      return count === 2 ? num(y % 100, 2) : num(y, count);
    }
    case 'M':
    case 'L':
      if (count >= 4) return MONTHS[d.getMonth()]!;
      if (count === 3) return MONTHS[d.getMonth()]!.slice(0, 3);
      return num(d.getMonth() + 1, count);
    case 'd': return num(d.getDate(), count);
    case 'D': {
      const start = new Date(d.getFullYear(), 0, 1);
      return num(Math.floor((d.getTime() - start.getTime()) / 86400000) + 1, count);
    }
    case 'E': return count >= 4 ? DAYS[d.getDay()]! : DAYS[d.getDay()]!.slice(0, 3);
    case 'F': return num(Math.floor((d.getDate() - 1) / 7) + 1, count);
    case 'w':
    case 'W': {
      const start = new Date(d.getFullYear(), letter === 'w' ? 0 : d.getMonth(), 1);
      const days = Math.floor((d.getTime() - start.getTime()) / 86400000);
      return num(Math.floor((days + start.getDay()) / 7) + 1, count);
    }
    case 'a': return d.getHours() < 12 ? 'AM' : 'PM';
    case 'H': return num(d.getHours(), count);
    case 'k': return num(d.getHours() === 0 ? 24 : d.getHours(), count);
    case 'K': return num(d.getHours() % 12, count);
    case 'h': return num(d.getHours() % 12 === 0 ? 12 : d.getHours() % 12, count);
    case 'm': return num(d.getMinutes(), count);
    case 's': return num(d.getSeconds(), count);
    case 'S': return num(d.getMilliseconds(), count);
    case 'z': {
      const name = new Intl.DateTimeFormat('en-US', { timeZoneName: count >= 4 ? 'long' : 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value;
      return name ?? `GMT${offset(d, true, false)}`;
    }
    case 'Z': return offset(d, false, false);
    case 'X': return offset(d, count >= 3, true, count === 1);
    default: return '';
  }
}

/** A formatter for epoch milliseconds; throws DatePatternError for a pattern Java refuses. */
export function simpleDateFormat(pattern: string): (epochMs: number) => string {
  const parts = compilePattern(pattern);
  return (epochMs) => {
    const d = new Date(epochMs);
    return parts.map((p) => ('literal' in p ? p.literal : field(d, p.letter, p.count))).join('');
  };
}
