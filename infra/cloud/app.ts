// `npm run synth` / `npm run deploy`. cdk-nag's AwsSolutions pack runs on every synth as a CDK validation
// plugin: an unacknowledged finding stops the synth instead of reaching a government account.
import { App, Validations } from 'aws-cdk-lib';
import { BaosongStack } from './stack.js';
import { nagChecks } from './nag.js';

const app = new App();
// Optional own domain for the pane: cdk deploy -c addinDomainName=baosong.example.gov.cn -c addinCertificateArn=arn:…
const domainName: string | undefined = app.node.tryGetContext('addinDomainName');
const certificateArn: string | undefined = app.node.tryGetContext('addinCertificateArn');
if (!!domainName !== !!certificateArn) {
  process.stderr.write(
    '部署参数不完整：-c addinDomainName=… 与 -c addinCertificateArn=… 须同时提供（证书须在 us-east-1 签发），或都不提供。\n',
  );
  process.exit(1);
}
// Optional: where alarms are mailed (-c alarmEmail=ops@example.gov.cn); the address must confirm AWS's mail.
const alarmEmail: string | undefined = app.node.tryGetContext('alarmEmail');
new BaosongStack(app, 'Baosong', {
  terminationProtection: true,
  alarmEmail,
  addinDomain: domainName && certificateArn ? { domainName, certificateArn } : undefined,
});
Validations.of(app).addPlugins(nagChecks(app));
app.synth();
