import { BASE } from '../../helpers/project.js';
import { edit, ruleTable, withPhones } from './rule-table.js';

/**
 * Values are judged only when they are at hand: from `env` (each case passes its own) or from the
 * secrets file. Every case also proves that no diagnostic shows the value (rule-table checks the
 * env values and `secrets` against every message and hint).
 */

const STRONG = 'Xk7#mP2qL9vR';
/** The trunk password ${env:CARRIER_PASSWORD} is at 13:15; its username is 4822. */
const trunk = (value: string) => ({ CARRIER_PASSWORD: value });
/** BASE plus conference board (extension `extension`) with pin ${env:BOARD_PIN} at 41:10. */
const conference = (extension = '800') => `${BASE}conferences:\n  board:\n    extension: "${extension}"\n    pin: "\${env:BOARD_PIN}"\n`;
const pin = (value: string) => ({ CARRIER_PASSWORD: STRONG, BOARD_PIN: value });
/** BASE with the trunk password taken from secrets.yaml (now at 15:15). */
const fromFile = (text: string) => edit(text, ['name: base\n', 'name: base\nsecrets:\n  file: secrets.yaml\n'], ['"${env:CARRIER_PASSWORD}"', '"${secret:carrier}"']);

ruleTable('weak-secret', 'error', {
  valid: [
    { name: 'a strong trunk password', files: BASE, env: trunk(STRONG) },
    { name: 'a long passphrase of one kind of character', files: BASE, env: trunk('correcthorsebatterystaple') },
    { name: 'no value at hand: CI validates without secrets', files: BASE },
    { name: 'an empty variable counts as no value', files: BASE, env: trunk('') },
    { name: 'an inline secret is inline-secret’s to report, never judged here', files: edit(BASE, ['"${env:CARRIER_PASSWORD}"', '"1234"']), others: ['inline-secret'], secrets: ['1234'] },
    {
      name: 'a 32-character master secret',
      files: edit(BASE, ['name: base\n', 'name: base\nsecrets:\n  device_master: "${env:DEVICE_MASTER}"\n']),
      env: { CARRIER_PASSWORD: STRONG, DEVICE_MASTER: 'Zq8!vN3#tL6@pW1$rK9%mB4^hD7&cF2*' },
    },
    { name: 'a random six-digit PIN', files: conference(), env: pin('739164') },
    { name: 'a four-digit PIN', files: conference(), env: pin('7391') },
    { name: 'a PIN with a leading zero', files: conference(), env: pin('0739') },
    { name: 'a strong value from the secrets file', files: { 'callplan.yaml': fromFile(BASE), 'secrets.yaml': `carrier: "${STRONG}"\n` }, secrets: [STRONG] },
  ],
  invalid: [
    {
      name: 'a short password',
      files: BASE,
      env: trunk('Sh0rt!pw'),
      errors: [{ line: 13, column: 15, message: 'trunk carrier password (${env:CARRIER_PASSWORD}) is weak: shorter than 12 characters', hint: 'openssl rand' }],
    },
    { name: '“password” with digits and ! after it', files: BASE, env: trunk('Password123!'), errors: [{ line: 13, column: 15, message: 'is weak: a commonly guessed word' }] },
    { name: '“changeme” with a year', files: BASE, env: trunk('Changeme2024'), errors: [{ line: 13, column: 15, message: 'is weak: a commonly guessed word' }] },
    { name: '“asterisk” padded with !', files: BASE, env: trunk('asterisk!!!!'), errors: [{ line: 13, column: 15, message: 'is weak: a commonly guessed word' }] },
    { name: 'one character repeated', files: BASE, env: trunk('zzzzzzzzzzzzzzzzzzzzzz'), errors: [{ line: 13, column: 15, message: 'is weak: one character repeated' }] },
    { name: 'the trunk username inside', files: BASE, env: trunk('Xq4822#vLm9zT'), errors: [{ line: 13, column: 15, message: 'is weak: contains the account name or number' }] },
    { name: 'lower-case letters only', files: BASE, env: trunk('abcdefghijkl'), errors: [{ line: 13, column: 15, message: 'is weak: fewer than 3 kinds of characters' }] },
    { name: 'two kinds of characters', files: BASE, env: trunk('Abcdefghijklmn'), errors: [{ line: 13, column: 15, message: 'fewer than 3 kinds of characters (lower, upper, digits, symbols) and under 20 characters' }] },
    {
      name: 'a device password holding the extension',
      files: withPhones(BASE, { '1001': { type: 'softphone', more: '        password: "${env:DESK_1001}"\n' } }),
      env: { CARRIER_PASSWORD: STRONG, DESK_1001: 'Desk1001#Anna' },
      errors: [{ line: 25, column: 19, message: 'device password of user 1001 (${env:DESK_1001}) is weak: contains the account name or number' }],
    },
    {
      name: 'the phones’ admin password holding “admin”',
      files: `${BASE}provisioning:\n  url: https://prov.example.com\n  admin_password: "\${env:PHONE_ADMIN}"\n`,
      env: { CARRIER_PASSWORD: STRONG, PHONE_ADMIN: 'MyAdmin#Pass99' },
      errors: [{ line: 40, column: 19, message: 'provisioning.admin_password (${env:PHONE_ADMIN}) is weak: contains the account name' }],
    },
    {
      name: 'the archive password holding its username',
      files: `${BASE}recording:\n  archive:\n    url: ftps://archive.example.com/rec\n    username: recorder\n    password: "\${env:ARCHIVE_PASSWORD}"\n`,
      env: { CARRIER_PASSWORD: STRONG, ARCHIVE_PASSWORD: 'Recorder#2026x' },
      errors: [{ line: 42, column: 15, message: 'recording.archive.password (${env:ARCHIVE_PASSWORD}) is weak: contains the account name' }],
    },
    {
      name: 'a master secret good enough for a password but not for the master',
      files: edit(BASE, ['name: base\n', 'name: base\nsecrets:\n  device_master: "${env:DEVICE_MASTER}"\n']),
      env: { CARRIER_PASSWORD: STRONG, DEVICE_MASTER: 'Xk7#mP2qL9vR-Xk7#mP2qL9vR' },
      errors: [{ line: 4, column: 18, message: 'secrets.device_master (${env:DEVICE_MASTER}) is weak: shorter than 32 characters' }],
    },
    { name: 'PIN 1234', files: conference(), env: pin('1234'), errors: [{ line: 41, column: 10, message: 'conference board pin (${env:BOARD_PIN}) is weak: a run of consecutive digits', hint: 'Use 6 or more random digits.' }] },
    { name: 'PIN 0000', files: conference(), env: pin('0000'), errors: [{ line: 41, column: 10, message: 'is weak: one digit repeated' }] },
    { name: 'PIN 4321', files: conference(), env: pin('4321'), errors: [{ line: 41, column: 10, message: 'is weak: a run of consecutive digits' }] },
    { name: 'PIN 7890', files: conference(), env: pin('7890'), errors: [{ line: 41, column: 10, message: 'is weak: a run of consecutive digits' }] },
    { name: 'a three-digit PIN', files: conference(), env: pin('739'), errors: [{ line: 41, column: 10, message: 'is weak: shorter than 4 digits' }] },
    { name: 'a PIN with a letter', files: conference(), env: pin('73a9'), errors: [{ line: 41, column: 10, message: 'is weak: a PIN is digits only' }] },
    { name: 'the room’s own number as PIN', files: conference('4711'), env: pin('4711'), errors: [{ line: 41, column: 10, message: 'is weak: contains the account name or number' }] },
    { name: 'the room’s number inside the PIN', files: conference('800'), env: pin('58009'), errors: [{ line: 41, column: 10, message: 'is weak: contains the account name or number' }] },
    {
      name: 'a weak value from the secrets file',
      files: { 'callplan.yaml': fromFile(BASE), 'secrets.yaml': 'carrier: letmein\n' },
      secrets: ['letmein'],
      errors: [{ line: 15, column: 15, message: 'trunk carrier password (${secret:carrier}) is weak: shorter than 12 characters' }],
    },
    {
      name: 'each weak field',
      files: conference(),
      env: { CARRIER_PASSWORD: 'qwerty', BOARD_PIN: '1111' },
      errors: [
        { line: 13, column: 15, message: 'trunk carrier password (${env:CARRIER_PASSWORD}) is weak: shorter than 12 characters' },
        { line: 41, column: 10, message: 'conference board pin (${env:BOARD_PIN}) is weak: one digit repeated' },
      ],
    },
  ],
});
