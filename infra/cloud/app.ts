// `npm run synth` / `npm run deploy`. cdk-nag's AwsSolutions pack runs on every synth as a CDK validation
// plugin: an unacknowledged finding stops the synth instead of reaching a government account.
import { App, Validations } from 'aws-cdk-lib';
import { BaosongStack } from './stack.js';
import { nagChecks } from './nag.js';

const app = new App();
new BaosongStack(app, 'Baosong', { terminationProtection: true });
Validations.of(app).addPlugins(nagChecks(app));
app.synth();
