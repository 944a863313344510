import type { Command } from '../io';
import { APP_VERSION } from '../../shared/version';

const command: Command = {
  summary: 'print the version of Till',
  usage: 'till version',
  async run(_args, io) {
    io.out(`till ${APP_VERSION}\n`);
    return 0;
  },
};
export default command;
