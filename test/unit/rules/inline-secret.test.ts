import { BASE } from '../../helpers/project.js';
import { edit, ruleTable, withPhones } from './rule-table.js';

/** BASE with the trunk password (13:15) written as `value`. */
const trunk = (value: string) => edit(BASE, ['password: "${env:CARRIER_PASSWORD}"', `password: ${value}`]);
/** BASE plus conference board (extension 800): pin at 41:10, admin_pin at 42:16. */
const conference = (pin: string, adminPin = '"${env:BOARD_ADMIN_PIN}"') => `${BASE}conferences:\n  board:\n    extension: "800"\n    pin: ${pin}\n    admin_pin: ${adminPin}\n`;
/** BASE with a secrets section from line 3. */
const secrets = (text: string, lines: string) => edit(text, ['name: base\n', `name: base\nsecrets:\n${lines}`]);

const PASSWORD = 'Xk7#mP2qL9vR-inline';

ruleTable('inline-secret', 'error', {
  valid: [
    { name: 'an environment variable', files: BASE },
    { name: 'a secrets-file key (the file may be absent when CI validates)', files: secrets(trunk('"${secret:carrier}"'), '  file: secrets.yaml\n') },
    { name: 'a secrets-file key, file present', files: { 'callplan.yaml': secrets(trunk('"${secret:carrier}"'), '  file: secrets.yaml\n'), 'secrets.yaml': `carrier: "${PASSWORD}"\n` }, secrets: [PASSWORD] },
    { name: 'a trunk that authenticates by IP has no password', files: edit(BASE, ['    auth: registration\n', '    auth: ip\n'], ['    username: "4822"\n    password: "${env:CARRIER_PASSWORD}"\n', '    addresses: ["192.0.2.10"]\n']) },
    {
      name: 'every kind of secret field as a reference',
      files:
        secrets(conference('"${env:BOARD_PIN}"'), '  file: secrets.yaml\n  device_master: "${secret:device_master}"\n') +
        'provisioning:\n  url: https://prov.example.com\n  admin_password: "${env:PHONE_ADMIN_PASSWORD}"\nrecording:\n  archive:\n    url: ftps://archive.example.com/rec\n    username: recorder\n    password: "${env:ARCHIVE_PASSWORD}"\n',
    },
  ],
  invalid: [
    {
      name: 'a trunk password in the YAML',
      files: trunk(`"${PASSWORD}"`),
      secrets: [PASSWORD],
      errors: [{ line: 13, column: 15, message: 'trunk carrier password is written inline; secrets must not be stored in the project', hint: /write "\$\{env:TRUNK_CARRIER_PASSWORD\}".*rotate it/ }],
    },
    { name: 'shell-style $NAME', files: trunk('"$CARRIER_PASSWORD"'), errors: [{ line: 13, column: 15, message: 'trunk carrier password is written inline' }] },
    { name: '${NAME} without a source', files: trunk('"${CARRIER_PASSWORD}"'), errors: [{ line: 13, column: 15, message: 'is written inline' }] },
    { name: 'the source in capitals', files: trunk('"${ENV:CARRIER_PASSWORD}"'), errors: [{ line: 13, column: 15, message: 'is written inline' }] },
    { name: 'an unknown source', files: trunk('"${vault:carrier}"'), errors: [{ line: 13, column: 15, message: 'is written inline' }] },
    { name: 'a reference with text after it', files: trunk('"${env:CARRIER_PASSWORD}!"'), errors: [{ line: 13, column: 15, message: 'is written inline' }] },
    { name: 'an empty password', files: trunk('""'), errors: [{ line: 13, column: 15, message: 'is written inline' }] },
    {
      name: '${secret:NAME} without a secrets file',
      files: trunk('"${secret:carrier}"'),
      errors: [{ line: 13, column: 15, message: 'trunk carrier password uses ${secret:carrier} but the project names no secrets file', hint: 'secrets: { file: secrets.yaml }' }],
    },
    {
      name: 'a conference PIN',
      files: conference('"4711"'),
      secrets: ['4711'],
      errors: [{ line: 41, column: 10, message: 'conference board pin is written inline', hint: '${env:CONFERENCE_BOARD_PIN}' }],
    },
    {
      name: 'both PINs of a conference',
      files: conference('"4711"', '"9137"'),
      secrets: ['4711', '9137'],
      errors: [
        { line: 41, column: 10, message: 'conference board pin is written inline' },
        { line: 42, column: 16, message: 'conference board admin_pin is written inline', hint: '${env:CONFERENCE_BOARD_ADMIN_PIN}' },
      ],
    },
    {
      name: 'the phones’ admin password',
      files: `${BASE}provisioning:\n  url: https://prov.example.com\n  admin_password: "${PASSWORD}"\n`,
      secrets: [PASSWORD],
      errors: [{ line: 40, column: 19, message: 'provisioning.admin_password is written inline', hint: '${env:PROVISIONING_ADMIN_PASSWORD}' }],
    },
    {
      name: 'the recording archive password',
      files: `${BASE}recording:\n  archive:\n    url: ftps://archive.example.com/rec\n    username: recorder\n    password: "${PASSWORD}"\n`,
      secrets: [PASSWORD],
      errors: [{ line: 42, column: 15, message: 'recording.archive.password is written inline' }],
    },
    {
      name: 'the device master secret',
      files: secrets(BASE, `  device_master: "${PASSWORD}${PASSWORD}"\n`),
      secrets: [PASSWORD],
      errors: [{ line: 4, column: 18, message: 'secrets.device_master is written inline', hint: '${env:SECRETS_DEVICE_MASTER}' }],
    },
    {
      name: 'a device’s SIP password',
      files: withPhones(BASE, { '1001': { type: 'softphone', more: `        password: "${PASSWORD}"\n` } }),
      secrets: [PASSWORD],
      errors: [{ line: 25, column: 19, message: 'device password of user 1001 is written inline' }],
    },
    {
      name: 'a trunk password in an included file',
      files: {
        'callplan.yaml': edit(BASE, ['name: base\n', 'name: base\ninclude: [trunks/*.yaml]\n']),
        'trunks/backup.yaml': `trunks:\n  backup:\n    auth: registration\n    host: sip2.example.com\n    username: "4823"\n    password: "${PASSWORD}"\n`,
      },
      secrets: [PASSWORD],
      errors: [{ file: 'trunks/backup.yaml', line: 6, column: 15, message: 'trunk backup password is written inline' }],
    },
  ],
});
