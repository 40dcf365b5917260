// CloudWatch alarms for what an operator must hear about, all sent to one SNS topic (subscribe an e-mail address
// with `-c alarmEmail=…`): function errors, throttles and runs close to their timeout; the API's 5xx answers and
// its 429s; DynamoDB throttling. Thresholds are "it happened at all" for a service that answers a few counties.
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Operation, type Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, MetricFilter, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { HandlerGroup } from '../../functions/routes.js';

/** A run longer than this share of the function's timeout is near it. */
export const NEAR_TIMEOUT_SHARE = 0.8;
const PERIOD = Duration.minutes(5);
/** The custom metric the access log's 429 lines are counted into (HTTP APIs publish only 4xx and 5xx). */
export const THROTTLED_METRIC = { namespace: 'baosong', name: 'ApiThrottled' } as const;

export interface AlarmsProps {
  functions: Record<HandlerGroup, LambdaFunction>;
  api: HttpApi;
  /** The API's access log (JSON lines with `status`). */
  accessLogs: ILogGroup;
  table: Table;
  /** Subscribed to the alarm topic when given. */
  email?: string;
}

export class Alarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { displayName: '报送 baosong alarms', enforceSSL: true });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));

    for (const [group, fn] of Object.entries(props.functions) as [HandlerGroup, LambdaFunction][]) {
      this.add(`${group}Errors`, `函数 ${group} 出错(未处理的异常或超时)`, fn.metricErrors({ period: PERIOD }));
      this.add(`${group}Throttles`, `函数 ${group} 被限流(并发用尽)`, fn.metricThrottles({ period: PERIOD }));
      const timeoutMs = (fn.timeout ?? Duration.seconds(3)).toMilliseconds();
      this.add(
        `${group}NearTimeout`,
        `函数 ${group} 单次运行超过超时的 ${NEAR_TIMEOUT_SHARE * 100}%`,
        fn.metricDuration({ period: PERIOD, statistic: 'Maximum' }),
        Math.round(timeoutMs * NEAR_TIMEOUT_SHARE),
      );
    }

    this.add('Api5xx', 'API 返回 5xx', props.api.metricServerError({ period: PERIOD }));
    // 429 is inside the API's 4xx metric together with every 401/404/422; the access log names it exactly.
    const throttled = new MetricFilter(this, 'ThrottledFilter', {
      logGroup: props.accessLogs,
      filterPattern: FilterPattern.numberValue('$.status', '=', 429),
      metricNamespace: THROTTLED_METRIC.namespace,
      metricName: THROTTLED_METRIC.name,
      metricValue: '1',
    });
    this.add('Api429', 'API 限流(429)', throttled.metric({ period: PERIOD, statistic: 'Sum' }));

    this.add(
      'TableThrottled',
      'DynamoDB 请求被限流',
      props.table.metricThrottledRequestsForOperations({
        operations: [
          Operation.GET_ITEM,
          Operation.QUERY,
          Operation.PUT_ITEM,
          Operation.UPDATE_ITEM,
          Operation.BATCH_WRITE_ITEM,
          Operation.TRANSACT_WRITE_ITEMS,
        ],
        period: PERIOD,
      }),
    );
  }

  private add(id: string, description: string, metric: IMetric, threshold = 1): Alarm {
    const alarm = new Alarm(this, id, {
      alarmDescription: `报送 baosong: ${description}`,
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
    return alarm;
  }
}
