"""kafka-python as a test peer: produce JSON lines from stdin, or consume and print JSON lines.

  produce <bootstrap> <topic>            stdin: {"key": str|null, "value": str|null, "headers": {k: v}, "partition": int?}
  consume <bootstrap> <topic> <count>    reads every partition from the beginning without a group
  group <bootstrap> <topic> <group> <count>
                                         consumes <count> records in a group, commits, and exits
Output lines: {"partition", "offset", "key", "value", "headers"} with strings decoded as UTF-8.
"""
import json
import sys

from kafka import KafkaConsumer, KafkaProducer, TopicPartition


def text(b):
    return None if b is None else b.decode('utf-8')


def emit(message):
    print(json.dumps({
        'partition': message.partition,
        'offset': message.offset,
        'key': text(message.key),
        'value': text(message.value),
        'headers': {k: text(v) for k, v in (message.headers or [])},
    }), flush=True)


def emit_until(consumer, count):
    read = 0
    for message in consumer:
        emit(message)
        read += 1
        if read >= count:
            return


def produce(bootstrap, topic):
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks='all', linger_ms=5)
    for line in sys.stdin:
        record = json.loads(line)
        producer.send(
            topic,
            key=None if record.get('key') is None else record['key'].encode(),
            value=None if record.get('value') is None else record['value'].encode(),
            headers=[(k, v.encode()) for k, v in record.get('headers', {}).items()],
            partition=record.get('partition'),
        )
    producer.flush()
    producer.close()


def consume(bootstrap, topic, count):
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, auto_offset_reset='earliest', enable_auto_commit=False, consumer_timeout_ms=20000)
    partitions = consumer.partitions_for_topic(topic) or set()
    consumer.assign([TopicPartition(topic, p) for p in sorted(partitions)])
    consumer.seek_to_beginning()
    emit_until(consumer, count)
    consumer.close()


def group(bootstrap, topic, group_id, count):
    consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group_id, auto_offset_reset='earliest',
                             enable_auto_commit=False, consumer_timeout_ms=30000)
    emit_until(consumer, count)
    consumer.commit()
    consumer.close()


if __name__ == '__main__':
    command, args = sys.argv[1], sys.argv[2:]
    if command == 'produce':
        produce(args[0], args[1])
    elif command == 'consume':
        consume(args[0], args[1], int(args[2]))
    elif command == 'group':
        group(args[0], args[1], args[2], int(args[3]))
    else:
        raise SystemExit(f'unknown command {command}')
